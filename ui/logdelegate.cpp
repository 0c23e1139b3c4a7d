#include "logdelegate.h"

#include "ansitext.h"
#include "logmodel.h"

#include <QApplication>
#include <QPainter>

LogDelegate::LogDelegate(QObject *parent)
    : QStyledItemDelegate(parent) {}

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
        painter->fillRect(option.rect, QColor(0xfd, 0xf2, 0xd0));
    const QColor base = selected ? pal.highlightedText().color() : pal.text().color();
    QColor markerColour = index.data(Qt::ForegroundRole).value<QColor>();
    const QRect r = option.rect.adjusted(4, 0, -2, 0);
    painter->setFont(option.font);
    painter->setPen(markerColour.isValid() && !selected ? markerColour : base);
    if (m_wrap) {
        painter->drawText(r, int(Qt::AlignLeft | Qt::AlignTop | Qt::TextWrapAnywhere), text);
        painter->restore();
        return;
    }
    const QFontMetrics fm(option.font);
    const int baseline = r.top() + (r.height() - fm.height()) / 2 + fm.ascent();
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
    if (!m_wrap)
        return QSize(fm.horizontalAdvance(index.data(Qt::DisplayRole).toString()) + 8,
                     fm.height() + 2);
    const QRect bounds = fm.boundingRect(QRect(0, 0, qMax(50, m_wrapWidth - 8), 100000),
                                         int(Qt::AlignLeft | Qt::TextWrapAnywhere),
                                         index.data(Qt::DisplayRole).toString());
    return QSize(m_wrapWidth, bounds.height() + 2);
}
