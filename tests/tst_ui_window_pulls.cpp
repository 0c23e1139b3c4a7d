// The desktop window against the real backend (a `pullwatch --headless --demo` process on a
// loopback port, kubesim inside), driven through the widgets on the offscreen platform:
// connecting, the pull dialog, pulls that complete, fail or
// are cancelled, the History tab and the Help menu.
#include "pullwatchprocess.h"
#include "uiwindowfixture.h"
#include "freeport.h"
#include "httpclient.h"
#include "tempfile.h"
#include "testjwt.h"

#include "ui/activepullsmodel.h"
#include "ui/activepullsview.h"
#include "ui/apiclient.h"
#include "ui/connectionbanner.h"
#include "ui/connectiondialog.h"
#include "ui/failedpullsmodel.h"
#include "ui/failedpullsview.h"
#include "ui/historymodel.h"
#include "ui/historyview.h"
#include "ui/logmodel.h"
#include "ui/logselector.h"
#include "ui/catalogfeed.h"
#include "ui/logspage.h"
#include "ui/logview.h"
#include "ui/mainwindow.h"
#include "ui/namelistmodel.h"
#include "ui/pullactions.h"
#include "ui/pulldialog.h"
#include "ui/statusindicators.h"
#include "ui/tokenkeychain.h"
#include "ui/traynotifier.h"
#include "ui/windowstate.h"

#include <QClipboard>
#include <QComboBox>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDirIterator>
#include <QTextBlock>
#include <QTextLayout>
#include <QLabel>
#include <QTableWidget>
#include <QGuiApplication>
#include <QMenu>
#include <QInputDialog>
#include <QLineEdit>
#include <QAction>
#include <QStatusBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QListView>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <memory>

using namespace pw::core;
using namespace pw::ui;

class TestUiWindowPulls : public UiWindowFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { startBackendAndWindow(); }
    void cleanupTestCase() { stopBackendAndWindow(); }
    void connectsAndShowsStatus();
    void dialogValidatesAsYouType();
    void dialogTeachesTheDemo();
    void dialogPreviewsTheHarborTarget();
    void pullFromDialogCompletesAndLeaves();
    void notFoundPullShowsReasonAndEvents();
    void cancelAskedAndDone();
    void historyKeepsCompletedAndFailed();
    void helpMenuShortcutsAndAbout();
};

void TestUiWindowPulls::connectsAndShowsStatus() {
    ApiClient *client = m_window->client();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), ApiClient::State::Connected, 10'000);
    QVERIFY(m_window->banner()->isHidden());
    QTRY_VERIFY_WITH_TIMEOUT(client->liveUpdates(), 10'000); // /ws/image-pull-all subscribed
    client->fetchMetrics();
    QTRY_VERIFY_WITH_TIMEOUT(
        m_window->indicators()->text().contains(QStringLiteral("cluster: connected")), 10'000);
    const QString status = m_window->indicators()->text();
    QVERIFY2(status.contains(QStringLiteral("cache: memory")), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("hit ratio")), qPrintable(status));
    QVERIFY2(status.contains(m_backend.baseUrl().toString()), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("clients: ")), qPrintable(status));
    QVERIFY2(status.contains(QStringLiteral("live")), qPrintable(status));
}

void TestUiWindowPulls::dialogValidatesAsYouType() {
    PullDialog *dialog = m_window->openPullDialog();
    QVERIFY(dialog->isVisible());
    auto *box = dialog->findChild<QDialogButtonBox *>();
    QPushButton *ok = box->button(QDialogButtonBox::Ok);
    QVERIFY(!ok->isEnabled());
    QTest::keyClicks(dialog->editor(), QStringLiteral("nginx:1.27"));
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog->references(), QStringList{QStringLiteral("nginx:1.27")});
    dialog->setText(
        QStringLiteral("nginx:1.27\n\n# a comment\nNGINX:bad tag!\nalpine:3.20\nhost:5000/a/b"));
    QVERIFY(!ok->isEnabled());
    QCOMPARE(dialog->problems().size(), 1);
    QVERIFY2(dialog->problems().first().startsWith(QStringLiteral("line 4: ")),
             qPrintable(dialog->problems().first()));
    QVERIFY(dialog->references().isEmpty());
    dialog->setText(QStringLiteral("nginx:1.27\nalpine:3.20\nhost:5000/a/b"));
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog->references().size(), 3);

    // 300 characters typed are reported as 300, and the mark covers every row of the wrap.
    dialog->setText(QStringLiteral("nginx:1.27\n") + QString(300, u'a'));
    QCOMPARE(dialog->problems().size(), 1);
    QVERIFY2(dialog->problems().first().contains(QStringLiteral("is 300 characters long")),
             qPrintable(dialog->problems().first()));
    const QTextBlock bad = dialog->editor()->document()->findBlockByNumber(1);
    QVERIFY(bad.layout()->lineCount() > 1); // wrapped in the dialog's width
    const QList<QTextEdit::ExtraSelection> marks = dialog->editor()->extraSelections();
    QCOMPARE(marks.size(), 1);
    QCOMPARE(marks.first().cursor.selectionStart(), bad.position());
    QCOMPARE(marks.first().cursor.selectionEnd(), bad.position() + bad.length() - 1);
    dialog->reject();
}

// The dialog says where each image will be copied, by the server's Harbor target rule
// (as-written by default: the prefix + the reference as typed), and keeps Start disabled
// for a reference the server's registry policy refuses.
void TestUiWindowPulls::dialogPreviewsTheHarborTarget() {
    PullDialog *dialog = m_window->openPullDialog();
    dialog->setText(QStringLiteral("nginx:1.27\nnvcr.io/nvidia/pytorch:24.05-py3"));
    QLabel *preview = dialog->preview();
    QTRY_VERIFY_WITH_TIMEOUT(preview->isVisible(), 10'000);
    QVERIFY2(preview->text().contains(QStringLiteral("harbor.local/mirror/nginx:1.27")),
             qPrintable(preview->text()));
    QVERIFY2(preview->text().contains(
                 QStringLiteral("harbor.local/mirror/nvcr.io/nvidia/pytorch:24.05-py3")),
             qPrintable(preview->text()));
    QVERIFY(dialog->canStart());
    // A loopback registry is a valid reference, but the server refuses it.
    dialog->setText(QStringLiteral("127.0.0.1:5000/x:1"));
    QVERIFY(dialog->problems().isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->canStart(), 10'000);
    QTRY_VERIFY_WITH_TIMEOUT(preview->text().contains(QStringLiteral("loopback")), 10'000);
    // Back to a good one: Start comes back.
    dialog->setText(QStringLiteral("nginx:1.27"));
    QTRY_VERIFY_WITH_TIMEOUT(dialog->canStart() && preview->isVisible(), 10'000);
    dialog->reject();
}

void TestUiWindowPulls::dialogTeachesTheDemo() {
    // The backend is `--demo`: the dialog lists what the demo's image names do.
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->client()->demoOutcomes().isEmpty(), 10'000);
    PullDialog *dialog = m_window->openPullDialog();
    QLabel *hint = dialog->demoHint();
    QVERIFY(hint->isVisible());
    for (const char *word : {"notfound", "unauthorized", "pushfail", "unschedulable", "slow",
                             "chatty", "library/notfound-x:1"})
        QVERIFY2(hint->text().contains(QLatin1StringView(word)), word);
    QVERIFY(hint->text().contains(QStringLiteral("Try <a href=\"library/notfound-x:1\">")));
    // An example is a link that adds it to the list.
    Q_EMIT hint->linkActivated(QStringLiteral("library/notfound-x:1"));
    QCOMPARE(dialog->references(), QStringList{QStringLiteral("library/notfound-x:1")});
    dialog->reject();
}

void TestUiWindowPulls::pullFromDialogCompletesAndLeaves() {
    QSignalSpy started(m_window->client(), &ApiClient::pullsStarted);
    QSignalSpy finished(m_window->activeModel(), &ActivePullsModel::pullFinished);
    PullDialog *dialog = m_window->openPullDialog();
    dialog->setText(QStringLiteral("nginx:1.27-ui"));
    QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok),
                      Qt::LeftButton);
    QVERIFY(started.wait(10'000));
    const QString id = started.at(0).at(0).toStringList().value(0);
    QVERIFY(!id.isEmpty());
    QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::ActiveTab));
    ActivePullsModel *model = m_window->activeModel();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(id) >= 0, 10'000);
    QCOMPARE(model->pullAt(model->rowOf(id)).imageName, QStringLiteral("nginx"));
    // Progress moves through the stages, then the row shows completed, then it goes.
    QTRY_VERIFY_WITH_TIMEOUT(
        model->rowOf(id) >= 0 && model->pullAt(model->rowOf(id)).progress >= 30, 30'000);
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(id) >= 0 &&
                                 model->pullAt(model->rowOf(id)).status == PullStatus::Completed,
                             60'000);
    QCOMPARE(model->pullAt(model->rowOf(id)).progress, 100);
    bool notified = false;
    for (const auto &args : finished)
        notified |= args.at(0).value<PullJob>().id == id;
    QVERIFY(notified);
    QVERIFY(m_window->notifier()->lastMessage().contains(QStringLiteral("nginx:1.27-ui")));
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(id) < 0, 15'000);
}

void TestUiWindowPulls::notFoundPullShowsReasonAndEvents() {
    const QString id = startPull(QStringLiteral("example.com/notfound/ui:1"));
    QVERIFY(!id.isEmpty());
    FailedPullsModel *failed = m_window->failedModel();
    QTRY_VERIFY_WITH_TIMEOUT(failed->rowOf(id) >= 0, 60'000);
    const PullJob &p = failed->pullAt(failed->rowOf(id));
    QCOMPARE(p.status, PullStatus::Failed);
    QVERIFY(p.reason != FailureReason::None);
    const QString reasonCell =
        failed->index(failed->rowOf(id), FailedPullsModel::Reason).data().toString();
    QVERIFY2(reasonCell == QStringLiteral("ImageNotFound") ||
                 reasonCell == QStringLiteral("PullBackOff"),
             qPrintable(reasonCell));
    m_window->showTab(MainWindow::FailedTab);
    QVERIFY(m_window->failedView()->selectJob(id));
    // The detail pane gets the full pull: message, reason, events, log tails.
    QTRY_COMPARE_WITH_TIMEOUT(m_window->failedView()->shownJobId(), id, 10'000);
    const QString details = m_window->failedView()->details()->toPlainText();
    QVERIFY2(details.contains(reasonCell), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Events")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Warning")), qPrintable(details)); // a warning event
    QVERIFY2(details.contains(QStringLiteral("Log: pull-source")), qPrintable(details));
    QVERIFY2(details.contains(QStringLiteral("Log: push-to-harbor")), qPrintable(details));
    // Retry starts a new pull of the same image.
    QSignalSpy retried(m_window->client(), &ApiClient::pullRetried);
    m_window->client()->retryPull(id);
    QVERIFY(retried.wait(10'000));
}

void TestUiWindowPulls::cancelAskedAndDone() {
    const QString id = startPull(QStringLiteral("slow/ui:1"));
    QVERIFY(!id.isEmpty());
    m_window->showTab(MainWindow::ActiveTab);
    ActivePullsView *view = m_window->activeView();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->activeModel()->rowOf(id) >= 0, 10'000);
    view->setFilterText(QStringLiteral("slow/ui"));
    QTRY_COMPARE(view->proxy()->rowCount(), 1);
    view->table()->selectRow(0);
    QCOMPARE(view->selectedJobId(), id);
    QString asked;
    view->setConfirm([&asked](const QString &q) {
        asked = q;
        return false;
    });
    view->cancelSelected();
    QVERIFY(asked.contains(id));
    QSignalSpy cancelled(m_window->client(), &ApiClient::pullCancelled);
    QVERIFY(!cancelled.wait(300)); // "no" cancels nothing
    view->setConfirm([](const QString &) { return true; });
    view->cancelSelected();
    QVERIFY(cancelled.wait(10'000));
    QCOMPARE(cancelled.at(0).at(0).toString(), id);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->activeModel()->rowOf(id) < 0, 20'000);
    view->setFilterText(QString());
}

void TestUiWindowPulls::historyKeepsCompletedAndFailed() {
    const QString ok = startPull(QStringLiteral("history/ui-ok:1"));
    const QString bad = startPull(QStringLiteral("history/pushfail-ui:1"));
    QVERIFY(!ok.isEmpty() && !bad.isEmpty());
    m_window->showTab(MainWindow::HistoryTab);
    HistoryModel *model = m_window->historyModel();
    // Both stay in the History tab after they leave the active list.
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(ok) >= 0 && model->rowOf(bad) >= 0, 60'000);
    // The tab titles count the rows their tables show.
    QCOMPARE(m_window->tabs()->tabText(MainWindow::HistoryTab),
             QStringLiteral("&History (%1)").arg(model->rowCount()));
    QCOMPARE(m_window->tabs()->tabText(MainWindow::FailedTab),
             QStringLiteral("F&ailed pulls (%1)").arg(m_window->failedModel()->rowCount()));
    const PullJob done = model->pullAt(model->rowOf(ok));
    QCOMPARE(done.status, PullStatus::Completed);
    QVERIFY2(done.target.endsWith(QStringLiteral("history/ui-ok:1")), qPrintable(done.target));
    QVERIFY(HistoryModel::durationSeconds(done) > 0);
    QCOMPARE(model->index(model->rowOf(ok), HistoryModel::Target).data().toString(), done.target);
    QVERIFY(!model->index(model->rowOf(ok), HistoryModel::Duration).data().toString().isEmpty());
    QCOMPARE(model->index(model->rowOf(bad), HistoryModel::Status).data().toString(),
             QStringLiteral("failed"));
    QCOMPARE(model->index(model->rowOf(bad), HistoryModel::Reason).data().toString(),
             QStringLiteral("PushFailed"));

    // The filter asks the server for completed pulls only.
    HistoryView *view = m_window->historyView();
    view->statusBox()->setCurrentIndex(view->statusBox()->findData(QStringLiteral("completed")));
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(bad) < 0 && model->rowOf(ok) >= 0, 10'000);
    for (int row = 0; row < model->rowCount(); ++row)
        QCOMPARE(model->pullAt(row).status, PullStatus::Completed);
    view->statusBox()->setCurrentIndex(view->statusBox()->findData(QStringLiteral("failed")));
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(bad) >= 0 && model->rowOf(ok) < 0, 10'000);

    // A history row leads to its logs too.
    QTableView *table = view->table();
    const QModelIndex index = qobject_cast<QSortFilterProxyModel *>(table->model())
                                  ->mapFromSource(model->index(model->rowOf(bad), 0));
    const QPoint at = table->visualRect(index).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::LogsTab));
    QVERIFY(m_window->logView() && m_window->logView()->stream());
    QCOMPARE(m_window->logView()->stream()->target().job, bad);
    m_window->logsPage()->closeTab(m_window->logsPage()->tabs()->currentIndex());
    view->statusBox()->setCurrentIndex(0);
}

void TestUiWindowPulls::helpMenuShortcutsAndAbout() {
    const QList<QPair<QString, QString>> keys = m_window->shortcuts();
    auto has = [&keys](const QKeySequence &seq, const QString &action) {
        return keys.contains({seq.toString(QKeySequence::NativeText), action});
    };
    QVERIFY(has(QKeySequence(Qt::Key_F1), QStringLiteral("Keyboard shortcuts")));
    QVERIFY(has(QKeySequence(Qt::CTRL | Qt::Key_N), QStringLiteral("Pull images")));
    QVERIFY(has(QKeySequence(Qt::CTRL | Qt::Key_3), QStringLiteral("History")));
    QVERIFY(has(QKeySequence(Qt::CTRL | Qt::Key_Q), QStringLiteral("Quit")));
    QDialog *dialog = m_window->showShortcuts();
    auto *table = dialog->findChild<QTableWidget *>();
    QVERIFY(table);
    QCOMPARE(table->rowCount(), int(keys.size()));
    dialog->reject();

    const QString about = m_window->aboutText();
    QVERIFY2(about.contains(QStringLiteral(PULLWATCH_VERSION)), qPrintable(about));
    QVERIFY2(about.contains(QString::fromLatin1(qVersion())), qPrintable(about));
    QVERIFY2(about.contains(m_backend.baseUrl().toString()), qPrintable(about));

    // The documentation is the backend's own page, reachable without the internet.
    HttpClient http;
    const HttpResult page = http.get(m_window->helpUrl());
    QCOMPARE(page.status, 200);
    QVERIFY(page.body.contains("Demo outcomes"));
    QVERIFY(page.body.contains("library/notfound-x:1"));
}

QTEST_MAIN(TestUiWindowPulls)
#include "tst_ui_window_pulls.moc"
