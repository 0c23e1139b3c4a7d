#include "connectiondialog.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace pw::ui {

ConnectionDialog::ConnectionDialog(ContextLister lister, const QString &defaultKubeconfig,
                                   QWidget *parent)
    : QDialog(parent)
    , m_lister(std::move(lister))
    , m_kinds(new QButtonGroup(this))
    , m_recent(new QComboBox(this))
    , m_file(new QLineEdit(defaultKubeconfig, this))
    , m_context(new QComboBox(this))
    , m_url(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_remember(new QCheckBox(tr("Keep the token in the desktop keychain"), this))
    , m_report(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this)) {
    setObjectName(QStringLiteral("connectionDialog"));
    setWindowTitle(tr("Connect"));
    auto *cluster = new QRadioButton(tr("A &cluster from a kubeconfig file"), this);
    auto *demo = new QRadioButton(tr("The &demo cluster (built in, simulated)"), this);
    auto *remote = new QRadioButton(tr("A &remote Pullwatch server"), this);
    m_kinds->addButton(cluster, int(ConnectionChoice::Kind::Kubeconfig));
    m_kinds->addButton(demo, int(ConnectionChoice::Kind::Demo));
    m_kinds->addButton(remote, int(ConnectionChoice::Kind::Remote));
    auto *browse = new QPushButton(tr("Browse…"), this);
    m_url->setPlaceholderText(QStringLiteral("https://pullwatch.example:8080"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("API token (if the server needs one)"));
    m_remember->setChecked(true);
    m_report->setWordWrap(true);
    m_report->setObjectName(QStringLiteral("connectionReport"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));

    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);
    auto *clusterForm = new QFormLayout;
    clusterForm->addRow(tr("File:"), fileRow);
    clusterForm->addRow(tr("Context:"), m_context);
    auto *remoteForm = new QFormLayout;
    remoteForm->addRow(tr("URL:"), m_url);
    remoteForm->addRow(tr("Token:"), m_token);
    remoteForm->addRow(QString(), m_remember);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Where should Pullwatch find its pulls? Pullwatch starts "
                                    "again with the choice."),
                                 this));
    const QList<ConnectionChoice> recent = ConnectionHistory::recent();
    m_recent->setObjectName(QStringLiteral("recentConnections"));
    m_recent->addItem(tr("Recent connections…"));
    for (const ConnectionChoice &c : recent)
        m_recent->addItem(c.describe(), c.key());
    m_recent->setVisible(!recent.isEmpty());
    layout->addWidget(m_recent);
    layout->addWidget(cluster);
    layout->addLayout(clusterForm);
    layout->addWidget(demo);
    layout->addWidget(remote);
    layout->addLayout(remoteForm);
    layout->addWidget(m_report);
    layout->addWidget(m_buttons);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString file =
            QFileDialog::getOpenFileName(this, tr("kubeconfig file"), m_file->text());
        if (!file.isEmpty())
            m_file->setText(file);
    });
    connect(m_file, &QLineEdit::editingFinished, this, &ConnectionDialog::loadContexts);
    connect(m_recent, &QComboBox::activated, this, [this](int index) {
        if (index > 0)
            apply(ConnectionChoice::fromKey(m_recent->itemData(index).toString()));
    });
    connect(m_kinds, &QButtonGroup::idToggled, this, [this](int, bool on) {
        if (on)
            validate();
    });
    for (QLineEdit *e : {m_url, m_token})
        connect(e, &QLineEdit::textChanged, this, &ConnectionDialog::validate);
    connect(m_context, &QComboBox::currentIndexChanged, this, &ConnectionDialog::validate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_problem.isEmpty())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    loadContexts();
    choose(m_context->count() > 0 ? ConnectionChoice::Kind::Kubeconfig
                                  : ConnectionChoice::Kind::Demo);
}

void ConnectionDialog::choose(ConnectionChoice::Kind kind) {
    m_kinds->button(int(kind))->setChecked(true);
    validate();
}

void ConnectionDialog::apply(const ConnectionChoice &choice) {
    if (choice.kind == ConnectionChoice::Kind::Kubeconfig) {
        m_file->setText(choice.kubeconfig);
        loadContexts();
        if (const int i = m_context->findText(choice.context); i >= 0)
            m_context->setCurrentIndex(i);
    } else if (choice.kind == ConnectionChoice::Kind::Remote) {
        m_url->setText(choice.url.toString());
    }
    choose(choice.kind);
}

void ConnectionDialog::loadContexts() {
    m_context->clear();
    m_contextError.clear();
    if (m_file->text().isEmpty()) {
        validate();
        return;
    }
    QString current;
    const QStringList contexts = m_lister(m_file->text(), &current, &m_contextError);
    m_context->addItems(contexts);
    if (const int i = m_context->findText(current); i >= 0)
        m_context->setCurrentIndex(i);
    validate();
}

ConnectionChoice ConnectionDialog::choice() const {
    ConnectionChoice c;
    c.kind = ConnectionChoice::Kind(m_kinds->checkedId());
    c.kubeconfig = m_file->text();
    c.context = m_context->currentText();
    c.url = QUrl(m_url->text().trimmed(), QUrl::StrictMode);
    c.token = m_token->text().trimmed();
    c.rememberToken = m_remember->isChecked();
    return c;
}

void ConnectionDialog::validate() {
    const ConnectionChoice c = choice();
    m_problem.clear();
    switch (c.kind) {
    case ConnectionChoice::Kind::Kubeconfig:
        if (c.kubeconfig.isEmpty())
            m_problem = tr("Name a kubeconfig file.");
        else if (!m_contextError.isEmpty())
            m_problem = m_contextError;
        else if (c.context.isEmpty())
            m_problem = tr("%1 has no contexts.").arg(c.kubeconfig);
        break;
    case ConnectionChoice::Kind::Demo:
        break;
    case ConnectionChoice::Kind::Remote:
        if (!c.url.isValid() || (c.url.scheme() != u"http" && c.url.scheme() != u"https") ||
            c.url.host().isEmpty())
            m_problem = tr("The URL must be http:// or https:// with a host, e.g. "
                           "https://pullwatch.example:8080.");
        break;
    }
    m_report->setText(m_problem.isEmpty()
                          ? tr("Pullwatch will use %1.").arg(c.describe().toHtmlEscaped())
                          : QStringLiteral("<span style='color:#b03a2e'>%1</span>")
                                .arg(m_problem.toHtmlEscaped()));
    for (QWidget *w : std::initializer_list<QWidget *>{m_file, m_context})
        w->setEnabled(c.kind == ConnectionChoice::Kind::Kubeconfig);
    for (QWidget *w : std::initializer_list<QWidget *>{m_url, m_token, m_remember})
        w->setEnabled(c.kind == ConnectionChoice::Kind::Remote);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_problem.isEmpty());
}

} // namespace pw::ui
