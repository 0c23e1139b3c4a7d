#pragma once

#include <QStyledItemDelegate>

// Paints one log line: ANSI colour runs (LogModel::SpansRole), every occurrence of the search
// text highlighted, markers in their colour. No layout objects per line: one fixed-height
// row of glyph runs, unless wrapping is on.
class LogDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit LogDelegate(QObject *parent = nullptr);

    void setHighlight(const QString &text) { m_highlight = text; }
    void setWrap(bool wrap) { m_wrap = wrap; }
    void setWrapWidth(int width) { m_wrapWidth = width; }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    QString m_highlight;
    bool m_wrap = false;
    int m_wrapWidth = 800;
};
