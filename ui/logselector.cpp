#include "logselector.h"

#include "apiclient.h"
#include "namelistmodel.h"
#include "windowstate.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSet>
#include <QToolButton>

LogSelector::LogSelector(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_namespaces(new NameListModel(this))
    , m_names(new NameListModel(this))
    , m_containers(new NameListModel(this))
    , m_namespaceBox(new QComboBox(this))
    , m_modeBox(new QComboBox(this))
    , m_nameBox(new QComboBox(this))
    , m_containerBox(new QComboBox(this))
    , m_followButton(new QPushButton(tr("&Follow"), this))
    , m_stopButton(new QPushButton(tr("Stop"), this)) {
    m_namespaceBox->setObjectName(QStringLiteral("namespaceBox"));
    m_nameBox->setObjectName(QStringLiteral("nameBox"));
    m_containerBox->setObjectName(QStringLiteral("containerBox"));
    m_namespaceBox->setModel(m_namespaces);
    m_nameBox->setModel(m_names);
    m_containerBox->setModel(m_containers);
    m_modeBox->addItems({tr("Pod"), tr("Job")});
    m_nameBox->setMinimumContentsLength(28);
    m_nameBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    auto *refreshButton = new QToolButton(this);
    refreshButton->setText(tr("↻"));
    refreshButton->setToolTip(tr("Reload namespaces and pods"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Namespace:"), this));
    layout->addWidget(m_namespaceBox);
    layout->addWidget(m_modeBox);
    layout->addWidget(m_nameBox, 1);
    layout->addWidget(new QLabel(tr("Container:"), this));
    layout->addWidget(m_containerBox);
    layout->addWidget(refreshButton);
    layout->addWidget(m_followButton);
    layout->addWidget(m_stopButton);

    const auto settings = WindowState::open();
    m_wanted.namespaceName =
        settings->value(QStringLiteral("logs/namespace"), QStringLiteral("default")).toString();
    m_wanted.pod = settings->value(QStringLiteral("logs/pod")).toString();
    m_wanted.job = settings->value(QStringLiteral("logs/job")).toString();
    m_wanted.container = settings->value(QStringLiteral("logs/container")).toString();
    m_modeBox->setCurrentIndex(m_wanted.pod.isEmpty() && !m_wanted.job.isEmpty() ? 1 : 0);

    connect(client, &ApiClient::namespacesReceived, this, &LogSelector::onNamespaces);
    connect(client, &ApiClient::podsReceived, this, &LogSelector::onPods);
    connect(client, &ApiClient::stateChanged, this, [this](ApiClient::State state) {
        if (state == ApiClient::State::Connected)
            refresh();
    });
    connect(m_namespaceBox, &QComboBox::activated, this, &LogSelector::onNamespaceChosen);
    connect(m_modeBox, &QComboBox::currentIndexChanged, this, &LogSelector::fillNames);
    connect(m_nameBox, &QComboBox::currentIndexChanged, this, &LogSelector::fillContainers);
    connect(refreshButton, &QToolButton::clicked, this, &LogSelector::refresh);
    connect(m_followButton, &QPushButton::clicked, this, &LogSelector::follow);
    connect(m_stopButton, &QPushButton::clicked, this, &LogSelector::stopRequested);
}

void LogSelector::refresh() {
    m_client->fetchNamespaces();
    const QString ns = m_namespaceBox->currentIndex() >= 0
                           ? m_namespaces->nameAt(m_namespaceBox->currentIndex())
                           : m_wanted.namespaceName;
    if (!ns.isEmpty())
        m_client->fetchPods(ns);
}

void LogSelector::select(const LogTarget &target) {
    m_wanted = target;
    m_modeBox->setCurrentIndex(target.pod.isEmpty() ? 1 : 0);
    choose(m_namespaceBox, m_namespaces, target.namespaceName);
    m_client->fetchNamespaces();
    m_client->fetchPods(target.namespaceName);
}

void LogSelector::choose(QComboBox *box, NameListModel *model, const QString &name) {
    const int row = model->rowOf(name);
    if (row >= 0 && box->currentIndex() != row)
        box->setCurrentIndex(row);
}

void LogSelector::onNamespaces(const QStringList &names) {
    const QString current = m_namespaces->nameAt(m_namespaceBox->currentIndex());
    m_namespaces->setNames(names);
    const QString want = current.isEmpty() ? m_wanted.namespaceName : current;
    choose(m_namespaceBox, m_namespaces, want.isEmpty() ? QStringLiteral("default") : want);
    if (m_namespaceBox->currentIndex() < 0 && !names.isEmpty())
        m_namespaceBox->setCurrentIndex(0);
}

void LogSelector::onNamespaceChosen() {
    m_wanted.namespaceName = m_namespaces->nameAt(m_namespaceBox->currentIndex());
    m_pods.clear();
    fillNames();
    m_client->fetchPods(m_wanted.namespaceName);
}

void LogSelector::onPods(const QString &ns, const QString &job, const QList<PodInfo> &pods) {
    if (!job.isEmpty())
        return;
    const QString current = m_namespaces->nameAt(m_namespaceBox->currentIndex());
    if (ns != (current.isEmpty() ? m_wanted.namespaceName : current))
        return;
    m_pods = pods;
    fillNames();
}

void LogSelector::fillNames() {
    const bool jobs = m_modeBox->currentIndex() == 1;
    const QString current = m_names->nameAt(m_nameBox->currentIndex());
    QList<NameListModel::Item> items;
    QSet<QString> seen;
    for (const PodInfo &p : m_pods) {
        if (!jobs) {
            items.append({p.name, p.phase});
        } else if (!p.job.isEmpty() && !seen.contains(p.job)) {
            seen.insert(p.job);
            items.append({p.job, QString()});
        }
    }
    m_names->setItems(items);
    const QString want = jobs ? m_wanted.job : m_wanted.pod;
    choose(m_nameBox, m_names, !want.isEmpty() && m_names->rowOf(want) >= 0 ? want : current);
    if (m_nameBox->currentIndex() < 0 && !items.isEmpty())
        m_nameBox->setCurrentIndex(0);
    fillContainers();
}

void LogSelector::fillContainers() {
    const bool jobs = m_modeBox->currentIndex() == 1;
    const QString name = m_names->nameAt(m_nameBox->currentIndex());
    const QString current = m_containers->nameAt(m_containerBox->currentIndex());
    QList<NameListModel::Item> items;
    QSet<QString> seen;
    for (const PodInfo &p : m_pods) {
        if ((jobs ? p.job : p.name) != name)
            continue;
        for (const PodInfo::Container &c : p.containers) {
            if (seen.contains(c.name))
                continue;
            seen.insert(c.name);
            items.append({c.name, c.init ? tr("init") : QString()});
        }
    }
    m_containers->setItems(items);
    // Prefer the remembered container, then the first main container.
    QString want = m_containers->rowOf(m_wanted.container) >= 0 ? m_wanted.container : current;
    if (m_containers->rowOf(want) < 0)
        for (const auto &item : items)
            if (item.note.isEmpty()) {
                want = item.name;
                break;
            }
    choose(m_containerBox, m_containers, want);
    if (m_containerBox->currentIndex() < 0 && !items.isEmpty())
        m_containerBox->setCurrentIndex(0);
}

LogTarget LogSelector::currentTarget() const {
    LogTarget t;
    t.namespaceName = m_namespaces->nameAt(m_namespaceBox->currentIndex());
    const QString name = m_names->nameAt(m_nameBox->currentIndex());
    (m_modeBox->currentIndex() == 1 ? t.job : t.pod) = name;
    t.container = m_containers->nameAt(m_containerBox->currentIndex());
    return t;
}

void LogSelector::follow() {
    const LogTarget t = currentTarget();
    if (!t.isValid())
        return;
    m_wanted = t;
    const auto settings = WindowState::open();
    settings->setValue(QStringLiteral("logs/namespace"), t.namespaceName);
    settings->setValue(QStringLiteral("logs/pod"), t.pod);
    settings->setValue(QStringLiteral("logs/job"), t.job);
    settings->setValue(QStringLiteral("logs/container"), t.container);
    Q_EMIT followRequested(t);
}
