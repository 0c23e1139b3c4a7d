#include "logdelegate.h"

#include "ansitext.h"
#include "logcolours.h"
#include "logmodel.h"

#include <QApplication>
#include <QPainter>

namespace pw::ui {

namespace {
constexpr int kPrefixGap = 8; // pixels between the prefix and the line

QFont prefixFont(const QFont &font) {
    QFont f = font;
    f.setBold(true);
    return f;
}
} // namespace

LogDelegate::LogDelegate(QObject *parent)
    : QStyledItemDelegate(parent) {}

int LogDelegate::prefixWidth(const QFont &font, const QModelIndex &index) const {
    if (!m_showPrefix)
        return 0;
    const QString source = index.data(LogModel::SourceRole).toString();
    if (source.isEmpty())
        return 0;
    return QFontMetrics(prefixFont(font)).horizontalAdvance(source) + kPrefixGap;
}

void LogDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                        const QModelIndex &index) const {
    const QString text = index.data(Qt::DisplayRole).toString();
    const auto kind = LogModel::Kind(index.data(LogModel::KindRole).toInt());
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette &pal = option.palette;
    painter->save();
    if (selected)
        painter->fillRect(option.rect, pal.highlight());
    else if (kind != LogModel::Kind::Line)
        painter->fillRect(option.rect, LogColours::markerBackground(pal));
    const QColor levelColour =
        LogColours::forLevel(LogLevel(index.data(LogModel::LevelRole).toInt()));
    const QColor base = selected                ? pal.highlightedText().color()
                        : levelColour.isValid() ? levelColour
                                                : pal.text().color();
    QColor markerColour = index.data(Qt::ForegroundRole).value<QColor>();
    QRect r = option.rect.adjusted(4, 0, -2, 0);
    const bool multiLine = m_wrap || index.data(LogModel::LineCountRole).toInt() > 1;
    const QFontMetrics fm(option.font);
    const int baseline =
        multiLine ? r.top() + fm.ascent() : r.top() + (r.height() - fm.height()) / 2 + fm.ascent();
    if (const int prefix = prefixWidth(option.font, index); prefix > 0) {
        painter->setFont(prefixFont(option.font));
        painter->setPen(selected ? base : index.data(LogModel::SourceColourRole).value<QColor>());
        painter->drawText(r.left(), baseline, index.data(LogModel::SourceRole).toString());
        r.setLeft(r.left() + prefix);
    }
    painter->setFont(option.font);
    painter->setPen(markerColour.isValid() && !selected ? markerColour : base);
    if (multiLine) {
        painter->drawText(
            r, int(Qt::AlignLeft | Qt::AlignTop | (m_wrap ? Qt::TextWrapAnywhere : 0)), text);
        painter->restore();
        return;
    }
    // Highlight the search matches behind the text.
    if (!m_highlight.isEmpty()) {
        qsizetype from = 0;
        while ((from = text.indexOf(m_highlight, from, Qt::CaseInsensitive)) >= 0) {
            const int x = r.left() + fm.horizontalAdvance(text.left(from));
            if (x > r.right())
                break;
            const int w = fm.horizontalAdvance(text.mid(from, m_highlight.size()));
            painter->fillRect(QRect(x, r.top() + 1, w, r.height() - 2), QColor(0xff, 0xd5, 0x4f));
            from += m_highlight.size();
        }
    }
    const QVariant spansValue = index.data(LogModel::SpansRole);
    if (!spansValue.isValid()) {
        painter->drawText(r.left(), baseline, text);
        painter->restore();
        return;
    }
    const auto spans = spansValue.value<QList<AnsiSpan>>();
    int pos = 0;
    int x = r.left();
    auto drawRun = [&](int start, int length, const AnsiSpan *span) {
        if (length <= 0 || x > r.right())
            return;
        const QString run = text.mid(start, length);
        const int w = fm.horizontalAdvance(run);
        if (span && span->background.isValid())
            painter->fillRect(QRect(x, r.top(), w, r.height()), span->background);
        QFont f = option.font;
        if (span && span->bold) {
            f.setBold(true);
            painter->setFont(f);
        }
        painter->setPen(span && span->foreground.isValid() && !selected ? span->foreground : base);
        painter->drawText(x, baseline, run);
        if (span && span->bold)
            painter->setFont(option.font);
        x += w;
    };
    for (const AnsiSpan &s : spans) {
        drawRun(pos, s.start - pos, nullptr);
        drawRun(s.start, s.length, &s);
        pos = s.start + s.length;
    }
    drawRun(pos, int(text.size()) - pos, nullptr);
    painter->restore();
}

QSize LogDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const {
    const QFontMetrics fm(option.font);
    const int prefix = prefixWidth(option.font, index);
    if (index.data(LogModel::LineCountRole).toInt() > 1 && !m_wrap) {
        const QRect bounds =
            fm.boundingRect(QRect(0, 0, 100000, 100000), int(Qt::AlignLeft | Qt::AlignTop),
                            index.data(Qt::DisplayRole).toString());
        return QSize(prefix + bounds.width() + 8, bounds.height() + 2);
    }
    if (!m_wrap)
        return QSize(prefix + fm.horizontalAdvance(index.data(Qt::DisplayRole).toString()) + 8,
                     fm.height() + 2);
    const QRect bounds = fm.boundingRect(QRect(0, 0, qMax(50, m_wrapWidth - 8 - prefix), 100000),
                                         int(Qt::AlignLeft | Qt::TextWrapAnywhere),
                                         index.data(Qt::DisplayRole).toString());
    return QSize(m_wrapWidth, bounds.height() + 2);
}

} // namespace pw::ui
