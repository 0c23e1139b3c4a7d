#pragma once

#include "connectionchoice.h"

#include <QDialog>

#include <functional>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QRadioButton;

namespace pw::ui {

// "Connect": where the window gets its pulls from — a context of a kubeconfig file (its
// contexts listed by the caller), the demo cluster, or a remote Pullwatch (URL and token;
// the token is kept in the desktop keychain when wanted). Shown from the banner when there
// is no cluster, and on a first start that found no kubeconfig.
class ConnectionDialog : public QDialog {
    Q_OBJECT
public:
    // The contexts of a kubeconfig file and its current-context; an error names the problem.
    using ContextLister =
        std::function<QStringList(const QString &file, QString *current, QString *error)>;
    ConnectionDialog(ContextLister lister, const QString &defaultKubeconfig,
                     QWidget *parent = nullptr);

    ConnectionChoice choice() const;
    // Empty when the choice can be applied, else what is missing.
    QString problem() const { return m_problem; }
    void choose(ConnectionChoice::Kind kind);
    QLineEdit *kubeconfigEdit() const { return m_file; }
    QComboBox *contextBox() const { return m_context; }
    QLineEdit *urlEdit() const { return m_url; }
    QLineEdit *tokenEdit() const { return m_token; }
    QDialogButtonBox *buttons() const { return m_buttons; }
    // The connection history (ConnectionHistory); choosing one fills the fields.
    QComboBox *recentBox() const { return m_recent; }
    void apply(const ConnectionChoice &choice);

private:
    void loadContexts();
    void validate();

    ContextLister m_lister;
    QButtonGroup *m_kinds;
    QComboBox *m_recent;
    QLineEdit *m_file;
    QComboBox *m_context;
    QLineEdit *m_url;
    QLineEdit *m_token;
    QCheckBox *m_remember;
    QLabel *m_report;
    QDialogButtonBox *m_buttons;
    QString m_problem;
    QString m_contextError;
};

} // namespace pw::ui
