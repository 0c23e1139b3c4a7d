#pragma once

#include <QStyledItemDelegate>

namespace pw::ui {

// Paints one log line: the source's prefix in its colour (merged streams), the line in its
// level's colour (LogModel::LevelRole) unless ANSI colour runs (LogModel::SpansRole) say
// otherwise, every occurrence of the search text highlighted, markers in their colour. No
// layout objects per line: one fixed-height row of glyph runs, unless wrapping is on or the
// line is indented JSON (several lines).
class LogDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit LogDelegate(QObject *parent = nullptr);

    void setHighlight(const QString &text) { m_highlight = text; }
    void setWrap(bool wrap) { m_wrap = wrap; }
    void setWrapWidth(int width) { m_wrapWidth = width; }
    void setShowPrefix(bool show) { m_showPrefix = show; }
    bool showPrefix() const { return m_showPrefix; }
    // The width of the row's "pod/container" prefix as painted (0 when there is none).
    int prefixWidth(const QFont &font, const QModelIndex &index) const;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    QString m_highlight;
    bool m_wrap = false;
    bool m_showPrefix = true;
    int m_wrapWidth = 800;
};

} // namespace pw::ui
