#include "progressdelegate.h"

#include "core/pullstatus.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace pw::ui {

ProgressDelegate::ProgressDelegate(int statusRole, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_statusRole(statusRole) {}

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const {
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

    const int progress = qBound(0, index.data(Qt::DisplayRole).toInt(), 100);
    const auto status = core::PullStatus(index.data(m_statusRole).toInt());
    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(3, 3, -3, -3);
    bar.minimum = 0;
    bar.maximum = 100;
    bar.progress = progress;
    bar.text = QStringLiteral("%1%").arg(progress);
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    bar.state = option.state | QStyle::State_Horizontal;
    bar.palette = option.palette;
    if (status == core::PullStatus::Failed)
        bar.palette.setColor(QPalette::Highlight, QColor(0xc0, 0x39, 0x2b));
    else if (status == core::PullStatus::Completed)
        bar.palette.setColor(QPalette::Highlight, QColor(0x27, 0xae, 0x60));
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const {
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(qMax(size.width(), 120));
    return size;
}

} // namespace pw::ui
