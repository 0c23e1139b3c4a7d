#pragma once

#include <QColor>
#include <QList>
#include <QString>

namespace pw::ui {

// One run of text with the SGR attributes that were active for it.
struct AnsiSpan {
    int start = 0;
    int length = 0;
    QColor foreground; // invalid: the view's default
    QColor background; // invalid: none
    bool bold = false;
    bool operator==(const AnsiSpan &o) const {
        return start == o.start && length == o.length && foreground == o.foreground &&
               background == o.background && bold == o.bold;
    }
};

// A log line with its ANSI escape sequences taken out: the plain text, and the coloured
// runs (empty when the line had no colour). SGR colours 30–37, 90–97, 40–47, 100–107,
// 38;5;n / 48;5;n, 38;2;r;g;b, bold, reset; every other escape sequence is dropped.
struct AnsiText {
    QString plain;
    QList<AnsiSpan> spans;

    static bool hasEscape(QStringView text) { return text.contains(QChar(0x1b)); }
    static AnsiText parse(QStringView text);
    static QColor paletteColor(int index); // the xterm 256-colour palette
};

} // namespace pw::ui
