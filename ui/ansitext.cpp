#include "ansitext.h"

#include <QVarLengthArray>

namespace pw::ui {

namespace {

struct Attributes {
    QColor fg;
    QColor bg;
    bool bold = false;
    bool operator==(const Attributes &o) const {
        return fg == o.fg && bg == o.bg && bold == o.bold;
    }
};

void applySgr(const QVarLengthArray<int, 16> &codes, Attributes *a) {
    for (int i = 0; i < codes.size(); ++i) {
        const int c = codes[i];
        if (c == 0) {
            *a = Attributes{};
        } else if (c == 1) {
            a->bold = true;
        } else if (c == 22) {
            a->bold = false;
        } else if (c >= 30 && c <= 37) {
            a->fg = AnsiText::paletteColor(c - 30);
        } else if (c >= 90 && c <= 97) {
            a->fg = AnsiText::paletteColor(c - 90 + 8);
        } else if (c == 39) {
            a->fg = QColor();
        } else if (c >= 40 && c <= 47) {
            a->bg = AnsiText::paletteColor(c - 40);
        } else if (c >= 100 && c <= 107) {
            a->bg = AnsiText::paletteColor(c - 100 + 8);
        } else if (c == 49) {
            a->bg = QColor();
        } else if ((c == 38 || c == 48) && i + 1 < codes.size()) {
            QColor color;
            if (codes[i + 1] == 5 && i + 2 < codes.size()) {
                color = AnsiText::paletteColor(codes[i + 2]);
                i += 2;
            } else if (codes[i + 1] == 2 && i + 4 < codes.size()) {
                color = QColor(qBound(0, codes[i + 2], 255), qBound(0, codes[i + 3], 255),
                               qBound(0, codes[i + 4], 255));
                i += 4;
            } else {
                i = codes.size();
            }
            (c == 38 ? a->fg : a->bg) = color;
        }
    }
}

} // namespace

QColor AnsiText::paletteColor(int index) {
    static const QRgb basic[16] = {0x000000, 0xcd3131, 0x0dbc79, 0xe5e510, 0x2472c8, 0xbc3fbc,
                                   0x11a8cd, 0xe5e5e5, 0x666666, 0xf14c4c, 0x23d18b, 0xf5f543,
                                   0x3b8eea, 0xd670d6, 0x29b8db, 0xffffff};
    if (index < 0 || index > 255)
        return QColor();
    if (index < 16)
        return QColor(basic[index]);
    if (index < 232) {
        const int i = index - 16;
        auto level = [](int v) { return v == 0 ? 0 : 55 + v * 40; };
        return QColor(level(i / 36), level((i / 6) % 6), level(i % 6));
    }
    const int grey = 8 + (index - 232) * 10;
    return QColor(grey, grey, grey);
}

AnsiText AnsiText::parse(QStringView text) {
    AnsiText out;
    out.plain.reserve(text.size());
    Attributes current;
    int runStart = 0;
    auto closeRun = [&] {
        const int length = int(out.plain.size()) - runStart;
        if (length > 0 && !(current == Attributes{}))
            out.spans.append({runStart, length, current.fg, current.bg, current.bold});
        runStart = int(out.plain.size());
    };
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar ch = text[i];
        if (ch.unicode() != 0x1b) {
            out.plain.append(ch);
            ++i;
            continue;
        }
        // ESC [ params final — a CSI sequence; anything else: drop ESC and the next char.
        if (i + 1 < text.size() && text[i + 1] == u'[') {
            qsizetype j = i + 2;
            QVarLengthArray<int, 16> codes;
            int value = -1;
            while (j < text.size() && (text[j].isDigit() || text[j] == u';')) {
                if (text[j] == u';') {
                    codes.append(qMax(0, value));
                    value = -1;
                } else {
                    value = qMin(100000, qMax(0, value) * 10 + text[j].digitValue());
                }
                ++j;
            }
            codes.append(qMax(0, value));
            if (j < text.size() && text[j] == u'm') {
                Attributes next = current;
                applySgr(codes, &next);
                if (!(next == current)) {
                    closeRun();
                    current = next;
                }
            }
            i = j + 1;
        } else {
            i += 2;
        }
    }
    closeRun();
    return out;
}

} // namespace pw::ui
