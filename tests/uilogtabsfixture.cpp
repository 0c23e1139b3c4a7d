#include "uilogtabsfixture.h"

#include "ui/apiclient.h"
#include "ui/logmodel.h"
#include "ui/logspage.h"
#include "ui/logview.h"

#include <QListView>
#include <QTest>

using namespace pw::ui;

QDateTime stampOf(const QString &line) {
    return QDateTime::fromString(line.section(u' ', 0, 0), Qt::ISODateWithMs);
}

QList<QModelIndex> lineRows(LogView *view) {
    QList<QModelIndex> rows;
    QAbstractItemModel *m = view->view()->model();
    for (int r = 0; r < m->rowCount(); ++r) {
        const QModelIndex i = m->index(r, 0);
        if (i.data(LogModel::KindRole).toInt() == int(LogModel::Kind::Line))
            rows.append(i);
    }
    return rows;
}

QSet<QString> sourcesOf(LogView *view) {
    QSet<QString> sources;
    for (const QModelIndex &i : lineRows(view))
        sources.insert(i.data(LogModel::SourceRole).toString());
    return sources;
}

void UiLogTabsFixture::startLogsPage() {
    startBackendAndWindow();
    if (QTest::currentTestFailed())
        return;
    m_window->resize(1200, 760);
    m_window->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->client()->state(), ApiClient::State::Connected, 10'000);
    m_page = m_window->logsPage();
    m_window->showTab(MainWindow::LogsTab);
}

// Every test starts with no log tab open.
void UiLogTabsFixture::closeLogTabs() {
    while (m_page->count() > 0)
        m_page->closeTab(0);
    m_window->showTab(MainWindow::LogsTab);
}

QString UiLogTabsFixture::podNamed(const QString &prefix) {
    QString found;
    QObject context;
    connect(m_window->client(), &ApiClient::podsReceived, &context,
            [&found, &prefix](const QString &ns, const QString &, const QList<PodInfo> &pods) {
                if (ns != QStringLiteral("demo"))
                    return;
                for (const PodInfo &pod : pods)
                    if (pod.name.startsWith(prefix))
                        found = pod.name;
            });
    m_window->client()->fetchPods(QStringLiteral("demo"));
    if (!QTest::qWaitFor([&found] { return !found.isEmpty(); }, 10'000))
        qWarning("no demo pod named %s*", qPrintable(prefix));
    return found;
}

LogTarget UiLogTabsFixture::demoTarget(const QString &podPrefix, const QString &container) {
    LogTarget t;
    t.namespaceName = QStringLiteral("demo");
    t.pod = podNamed(podPrefix);
    t.container = container;
    t.tailLines = 50;
    return t;
}
