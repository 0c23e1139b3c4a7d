#include "logselector.h"

#include "apiclient.h"
#include "catalogfeed.h"
#include "namelistmodel.h"
#include "windowstate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSet>
#include <QToolButton>
#include <QVBoxLayout>

namespace pw::ui {

LogSelector::LogSelector(ApiClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_catalog(new CatalogFeed(client, this))
    , m_namespaces(new NameListModel(this))
    , m_names(new NameListModel(this))
    , m_containers(new NameListModel(this))
    , m_namespaceBox(new QComboBox(this))
    , m_modeBox(new QComboBox(this))
    , m_nameBox(new QComboBox(this))
    , m_containerBox(new QComboBox(this))
    , m_selectorEdit(new QLineEdit(this))
    , m_sinceBox(new QComboBox(this))
    , m_sinceTime(new QDateTimeEdit(this))
    , m_previousBox(new QCheckBox(tr("Previous"), this))
    , m_followButton(new QPushButton(tr("&Follow"), this))
    , m_followAllButton(new QPushButton(tr("All containers"), this))
    , m_stopButton(new QPushButton(tr("Stop"), this)) {
    m_namespaceBox->setObjectName(QStringLiteral("namespaceBox"));
    m_modeBox->setObjectName(QStringLiteral("modeBox"));
    m_nameBox->setObjectName(QStringLiteral("nameBox"));
    m_containerBox->setObjectName(QStringLiteral("containerBox"));
    m_namespaceBox->setModel(m_namespaces);
    m_nameBox->setModel(m_names);
    m_containerBox->setModel(m_containers);
    m_modeBox->addItems({tr("Pod"), tr("Job"), tr("Selector")});
    m_selectorEdit->setObjectName(QStringLiteral("selectorEdit"));
    m_selectorEdit->setPlaceholderText(tr("Label selector, e.g. app=web"));
    m_selectorEdit->setClearButtonEnabled(true);
    m_sinceBox->setObjectName(QStringLiteral("sinceBox"));
    m_sinceBox->addItems(
        {tr("All"), tr("Last 5 min"), tr("Last hour"), tr("Last 24 h"), tr("Since…")});
    m_sinceBox->setToolTip(tr("Only lines from this time on"));
    m_sinceTime->setObjectName(QStringLiteral("sinceTime"));
    m_sinceTime->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_sinceTime->setCalendarPopup(true);
    m_sinceTime->setDateTime(QDateTime::currentDateTime().addSecs(-3600));
    m_sinceTime->setVisible(false);
    m_previousBox->setObjectName(QStringLiteral("previousBox"));
    m_previousBox->setToolTip(tr("The container's previous run (after a restart or a crash)"));
    m_followAllButton->setObjectName(QStringLiteral("followAllButton"));
    m_followAllButton->setToolTip(tr("Every container of the pod or Job in one view"));
    m_nameBox->setMinimumContentsLength(28);
    m_nameBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    auto *refreshButton = new QToolButton(this);
    refreshButton->setText(tr("↻"));
    refreshButton->setToolTip(tr("Reload namespaces and pods"));

    // Two rows: what to follow, then how (since, previous) and the buttons.
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *what = new QHBoxLayout;
    what->addWidget(new QLabel(tr("Namespace:"), this));
    what->addWidget(m_namespaceBox);
    what->addWidget(m_modeBox);
    what->addWidget(m_nameBox, 1);
    what->addWidget(m_selectorEdit, 1);
    what->addWidget(new QLabel(tr("Container:"), this));
    what->addWidget(m_containerBox);
    what->addWidget(refreshButton);
    auto *how = new QHBoxLayout;
    how->addWidget(new QLabel(tr("Since:"), this));
    how->addWidget(m_sinceBox);
    how->addWidget(m_sinceTime);
    how->addWidget(m_previousBox);
    how->addStretch(1);
    how->addWidget(m_followButton);
    how->addWidget(m_followAllButton);
    how->addWidget(m_stopButton);
    layout->addLayout(what);
    layout->addLayout(how);

    const auto settings = WindowState::open();
    m_wanted.namespaceName =
        settings->value(QStringLiteral("logs/namespace"), QStringLiteral("default")).toString();
    m_wanted.pod = settings->value(QStringLiteral("logs/pod")).toString();
    m_wanted.job = settings->value(QStringLiteral("logs/job")).toString();
    m_wanted.selector = settings->value(QStringLiteral("logs/selector")).toString();
    m_wanted.container = settings->value(QStringLiteral("logs/container")).toString();
    m_selectorEdit->setText(m_wanted.selector);
    m_modeBox->setCurrentIndex(!m_wanted.pod.isEmpty()        ? int(Mode::Pod)
                               : !m_wanted.job.isEmpty()      ? int(Mode::Job)
                               : !m_wanted.selector.isEmpty() ? int(Mode::Selector)
                                                              : int(Mode::Pod));
    updateModeWidgets();

    connect(client, &ApiClient::namespacesReceived, this, &LogSelector::onNamespaces);
    connect(client, &ApiClient::podsReceived, this, &LogSelector::onPods);
    // Pods and Jobs appear and go without ↻ (the button stays for namespaces).
    connect(m_catalog, &CatalogFeed::podsChanged, this,
            [this](const QString &ns, const QList<PodInfo> &pods) { onPods(ns, QString(), pods); });
    connect(client, &ApiClient::stateChanged, this, [this](ApiClient::State state) {
        if (state == ApiClient::State::Connected) {
            refresh();
            watchChosenNamespace();
        }
    });
    connect(m_namespaceBox, &QComboBox::activated, this, &LogSelector::onNamespaceChosen);
    connect(m_modeBox, &QComboBox::currentIndexChanged, this, [this] {
        updateModeWidgets();
        fillNames();
    });
    connect(m_sinceBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { m_sinceTime->setVisible(index == SinceTime); });
    connect(m_selectorEdit, &QLineEdit::returnPressed, this, &LogSelector::follow);
    connect(m_followAllButton, &QPushButton::clicked, this, &LogSelector::followAllContainers);
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
    m_modeBox->setCurrentIndex(!target.pod.isEmpty()   ? int(Mode::Pod)
                               : !target.job.isEmpty() ? int(Mode::Job)
                                                       : int(Mode::Selector));
    if (!target.selector.isEmpty())
        m_selectorEdit->setText(target.selector);
    choose(m_namespaceBox, m_namespaces, target.namespaceName);
    m_client->fetchNamespaces();
    m_client->fetchPods(target.namespaceName);
    m_catalog->watch(target.namespaceName);
}

void LogSelector::watchChosenNamespace() {
    const QString current = m_namespaces->nameAt(m_namespaceBox->currentIndex());
    const QString ns = current.isEmpty() ? m_wanted.namespaceName : current;
    if (!ns.isEmpty())
        m_catalog->watch(ns);
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
    m_catalog->watch(m_wanted.namespaceName);
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

void LogSelector::updateModeWidgets() {
    const bool selector = m_modeBox->currentIndex() == int(Mode::Selector);
    m_nameBox->setVisible(!selector);
    m_selectorEdit->setVisible(selector);
}

void LogSelector::fillContainers() {
    const auto mode = Mode(m_modeBox->currentIndex());
    const QString name = m_names->nameAt(m_nameBox->currentIndex());
    const QString current = m_containers->nameAt(m_containerBox->currentIndex());
    // `*`: every container, merged with a pod/container prefix per line.
    QList<NameListModel::Item> items{{QStringLiteral("*"), tr("all containers")}};
    QSet<QString> seen;
    for (const PodInfo &p : m_pods) {
        if (mode != Mode::Selector && (mode == Mode::Job ? p.job : p.name) != name)
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
    switch (Mode(m_modeBox->currentIndex())) {
    case Mode::Pod:
        t.pod = name;
        break;
    case Mode::Job:
        t.job = name;
        break;
    case Mode::Selector:
        t.selector = m_selectorEdit->text().trimmed();
        break;
    }
    t.container = m_containers->nameAt(m_containerBox->currentIndex());
    applyTimeOptions(t);
    return t;
}

void LogSelector::applyTimeOptions(LogTarget &target) const {
    static constexpr int kSeconds[] = {0, 5 * 60, 60 * 60, 24 * 60 * 60};
    const int since = m_sinceBox->currentIndex();
    if (since == SinceTime)
        target.sinceTime = m_sinceTime->dateTime().toUTC();
    else if (since > SinceAll && since < SinceTime)
        target.sinceSeconds = kSeconds[since];
    target.previous = m_previousBox->isChecked();
}

void LogSelector::follow() {
    emitFollow(currentTarget());
}

void LogSelector::followAllContainers() {
    LogTarget t = currentTarget();
    t.container = QStringLiteral("*");
    emitFollow(t);
}

void LogSelector::emitFollow(const LogTarget &t) {
    if (!t.isValid())
        return;
    m_wanted = t;
    const auto settings = WindowState::open();
    settings->setValue(QStringLiteral("logs/namespace"), t.namespaceName);
    settings->setValue(QStringLiteral("logs/pod"), t.pod);
    settings->setValue(QStringLiteral("logs/job"), t.job);
    settings->setValue(QStringLiteral("logs/selector"), t.selector);
    settings->setValue(QStringLiteral("logs/container"), t.container);
    Q_EMIT followRequested(t);
}

} // namespace pw::ui
