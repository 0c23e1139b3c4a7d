#pragma once

#include <QStyledItemDelegate>

namespace pw::ui {

// Draws a pull's progress (0–100, from the model's display value) as a progress bar in its
// cell; the colour follows the pull's status (StatusRole, when the model gives one).
class ProgressDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    ProgressDelegate(int statusRole, QObject *parent = nullptr);
    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    int m_statusRole;
};

} // namespace pw::ui
