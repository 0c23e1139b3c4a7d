#pragma once

#include <QDialog>
#include <QList>
#include <QPair>
#include <QString>

class QMenuBar;

namespace pw::ui {

// Help → Keyboard shortcuts: a table of every shortcut of a window's menus (keys, action),
// read from the menus themselves so the list cannot drift from what the keys do.
class ShortcutsDialog : public QDialog {
    Q_OBJECT
public:
    explicit ShortcutsDialog(const QMenuBar *menus, QWidget *parent = nullptr);

    // Every action of `menus` that has a shortcut, menu by menu: its keys (native text) and
    // its text without the mnemonic '&' and the trailing '…'.
    static QList<QPair<QString, QString>> list(const QMenuBar *menus);
};

} // namespace pw::ui
