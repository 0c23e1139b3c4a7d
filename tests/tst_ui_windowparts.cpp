// Parts of the window that need no backend: the keyboard-shortcuts list and dialog read from a
// menu bar, what the banner says for each connection state, and a log view's backlog (lines
// merged for one append, held bounded while paused, released in order).
#include "ui/connectionproblem.h"
#include "ui/logbacklog.h"
#include "ui/shortcutsdialog.h"

#include <QMenu>
#include <QMenuBar>
#include <QTableWidget>
#include <QTest>

using namespace pw::ui;

Q_DECLARE_METATYPE(ApiClient::State)
Q_DECLARE_METATYPE(ConnectionBanner::Problem)

namespace {

// Batches written as "source@firstSeq: line line | …" ("-" for no numbers), so the tables
// read as what a stream delivers.
QList<LogBatch> parse(const QString &spec) {
    QList<LogBatch> batches;
    for (const QString &part : spec.split(QStringLiteral(" | "), Qt::SkipEmptyParts)) {
        const qsizetype at = part.indexOf(u'@');
        const qsizetype colon = part.indexOf(u':');
        const QString seq = part.mid(at + 1, colon - at - 1);
        batches.append({part.mid(colon + 1).split(u' ', Qt::SkipEmptyParts),
                        seq == u"-" ? -1 : seq.toLongLong(), part.left(at)});
    }
    return batches;
}

QString format(const QList<LogBatch> &batches) {
    QStringList parts;
    for (const LogBatch &b : batches)
        parts << QStringLiteral("%1@%2: %3")
                     .arg(b.source,
                          b.firstSeq < 0 ? QStringLiteral("-") : QString::number(b.firstSeq),
                          b.lines.join(u' '));
    return parts.join(QStringLiteral(" | "));
}

void addAll(LogBacklog &backlog, const QString &spec) {
    for (LogBatch &b : parse(spec))
        backlog.add(std::move(b));
}

} // namespace

class TestUiWindowParts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shortcutsFromMenus();
    void shortcutsDialogTable();
    void connectionProblem_data();
    void connectionProblem();
    void backlogMerges_data();
    void backlogMerges();
    void backlogHoldsBounded_data();
    void backlogHoldsBounded();
    void backlogReleasesBeforeLaterLines();
};

namespace {

// File: Pull images… (Ctrl+N), a separator, Quit (Ctrl+Q); Help: About (no keys), Keyboard
// shortcuts (F1); and an action on the bar itself, which is no menu.
void fillMenus(QMenuBar &bar) {
    QMenu *file = bar.addMenu(QStringLiteral("&File"));
    file->addAction(QStringLiteral("&Pull images…"))->setShortcut(Qt::CTRL | Qt::Key_N);
    file->addSeparator();
    file->addAction(QStringLiteral("&Quit"))->setShortcut(Qt::CTRL | Qt::Key_Q);
    QMenu *help = bar.addMenu(QStringLiteral("&Help"));
    help->addAction(QStringLiteral("&About Pullwatch"));
    help->addAction(QStringLiteral("&Keyboard shortcuts"))->setShortcut(Qt::Key_F1);
    bar.addAction(QStringLiteral("Bare"))->setShortcut(Qt::Key_F2);
}

} // namespace

void TestUiWindowParts::shortcutsFromMenus() {
    QMenuBar bar;
    fillMenus(bar);
    const QList<QPair<QString, QString>> expected{
        {QKeySequence(Qt::CTRL | Qt::Key_N).toString(QKeySequence::NativeText), "Pull images"},
        {QKeySequence(Qt::CTRL | Qt::Key_Q).toString(QKeySequence::NativeText), "Quit"},
        {QKeySequence(Qt::Key_F1).toString(QKeySequence::NativeText), "Keyboard shortcuts"}};
    QCOMPARE(ShortcutsDialog::list(&bar), expected);
}

void TestUiWindowParts::shortcutsDialogTable() {
    QMenuBar bar;
    fillMenus(bar);
    ShortcutsDialog dialog(&bar);
    QCOMPARE(dialog.objectName(), QStringLiteral("shortcutsDialog"));
    auto *table = dialog.findChild<QTableWidget *>();
    QVERIFY(table);
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(table->columnCount(), 2);
    QCOMPARE(table->horizontalHeaderItem(0)->text(), QStringLiteral("Keys"));
    QCOMPARE(table->horizontalHeaderItem(1)->text(), QStringLiteral("Action"));
    QCOMPARE(table->item(1, 0)->text(),
             QKeySequence(Qt::CTRL | Qt::Key_Q).toString(QKeySequence::NativeText));
    QCOMPARE(table->item(2, 1)->text(), QStringLiteral("Keyboard shortcuts"));
    QCOMPARE(table->editTriggers(), QAbstractItemView::NoEditTriggers);
}

void TestUiWindowParts::connectionProblem_data() {
    QTest::addColumn<ApiClient::State>("state");
    QTest::addColumn<bool>("clusterKnown");
    QTest::addColumn<QString>("clusterState");
    QTest::addColumn<ConnectionBanner::Problem>("problem");
    QTest::addColumn<QString>("text");
    using S = ApiClient::State;
    using P = ConnectionBanner::Problem;
    QTest::newRow("connecting") << S::Connecting << false << "" << P::None << "";
    QTest::newRow("connecting, cluster down")
        << S::Connecting << true << "unreachable" << P::None << "";
    QTest::newRow("unreachable")
        << S::Unreachable << true << "connected" << P::Unreachable
        << "The Pullwatch backend at http://h:1 is unreachable: refused. The window reconnects "
           "by itself.";
    QTest::newRow("unauthorized")
        << S::Unauthorized << false << "" << P::Unauthorized
        << "The Pullwatch backend at http://h:1 did not let this window in: refused. Enter the "
           "API token (the server's --token-file); nothing is retried until then.";
    QTest::newRow("throttled")
        << S::Throttled << false << "" << P::Throttled
        << "The Pullwatch backend at http://h:1 is not accepting tokens from here for now: "
           "refused.";
    QTest::newRow("connected, cluster not known yet")
        << S::Connected << false << "" << P::None << "";
    QTest::newRow("connected, cluster connected")
        << S::Connected << true << "connected" << P::None << "";
    QTest::newRow("connected, no cluster")
        << S::Connected << true << "" << P::NoCluster
        << "No cluster: the backend at http://h:1 has no Kubernetes cluster configured, so there "
           "are no pulls and no logs. Choose one with Connect… (a kubeconfig context or the "
           "demo cluster), or start pullwatch with --kubeconfig FILE, --context NAME or --demo.";
    QTest::newRow("connected, cluster down")
        << S::Connected << true << "unreachable" << P::ClusterDown
        << "The cluster is unreachable: the backend at http://h:1 cannot use the Kubernetes "
           "API. Check the kubeconfig's server address and credentials (Connect… picks "
           "another); the backend keeps trying.";
}

void TestUiWindowParts::connectionProblem() {
    QFETCH(ApiClient::State, state);
    QFETCH(bool, clusterKnown);
    QFETCH(QString, clusterState);
    QFETCH(ConnectionBanner::Problem, problem);
    QFETCH(QString, text);
    const ConnectionProblem found = ConnectionProblem::assess(
        state, QStringLiteral("http://h:1"), QStringLiteral("refused"), clusterKnown, clusterState);
    QCOMPARE(found.problem, problem);
    QCOMPARE(found.text, text);
}

void TestUiWindowParts::backlogMerges_data() {
    QTest::addColumn<QString>("arrived");
    QTest::addColumn<QString>("merged");
    QTest::newRow("one batch") << "a@0: x y"
                               << "a@0: x y";
    QTest::newRow("contiguous numbers, one source") << "a@0: x y | a@2: z"
                                                    << "a@0: x y z";
    QTest::newRow("a gap in the numbers") << "a@0: x y | a@5: z"
                                          << "a@0: x y | a@5: z";
    QTest::newRow("another source") << "a@0: x | b@1: y | b@2: z"
                                    << "a@0: x | b@1: y z";
    QTest::newRow("back to the first source") << "a@0: x | b@0: y | a@1: z"
                                              << "a@0: x | b@0: y | a@1: z";
    QTest::newRow("unnumbered lines") << "a@-: x | a@-: y z"
                                      << "a@-: x y z";
    QTest::newRow("numbered after unnumbered") << "a@-: x | a@0: y"
                                               << "a@-: x | a@0: y";
}

void TestUiWindowParts::backlogMerges() {
    QFETCH(QString, arrived);
    QFETCH(QString, merged);
    LogBacklog backlog;
    QVERIFY(backlog.isEmpty());
    addAll(backlog, arrived);
    QVERIFY(!backlog.isEmpty());
    QCOMPARE(format(backlog.takeMerged()), merged);
    QVERIFY(backlog.isEmpty());
    QVERIFY(backlog.takeMerged().isEmpty());
}

void TestUiWindowParts::backlogHoldsBounded_data() {
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<QStringList>("frames"); // what arrived in each paused frame
    QTest::addColumn<qint64>("held");
    QTest::addColumn<qint64>("dropped");
    QTest::addColumn<QString>("released");
    QTest::newRow("under the limit") << qint64(5) << QStringList{"a@0: l0 l1", "a@2: l2"}
                                     << qint64(3) << qint64(0) << "a@0: l0 l1 l2";
    QTest::newRow("at the limit") << qint64(3) << QStringList{"a@0: l0 l1 l2"} << qint64(3)
                                  << qint64(0) << "a@0: l0 l1 l2";
    QTest::newRow("the oldest batch trimmed")
        << qint64(3) << QStringList{"a@0: l0 l1", "a@2: l2 l3"} << qint64(3) << qint64(1)
        << "a@1: l1 l2 l3";
    QTest::newRow("whole batches dropped, then one trimmed")
        << qint64(2) << QStringList{"a@0: l0 | b@0: m0", "a@1: l1 l2 l3"} << qint64(2) << qint64(3)
        << "a@2: l2 l3";
    QTest::newRow("unnumbered lines keep no number")
        << qint64(2) << QStringList{"a@-: l0 l1 l2"} << qint64(2) << qint64(1) << "a@-: l1 l2";
}

void TestUiWindowParts::backlogHoldsBounded() {
    QFETCH(qint64, limit);
    QFETCH(QStringList, frames);
    QFETCH(qint64, held);
    QFETCH(qint64, dropped);
    QFETCH(QString, released);
    LogBacklog backlog;
    backlog.setLimit(limit);
    for (const QString &frame : frames) {
        addAll(backlog, frame);
        qint64 arrived = 0;
        for (const LogBatch &b : parse(frame))
            arrived += b.lines.size();
        QCOMPARE(backlog.hold(), arrived);
        QVERIFY(backlog.isEmpty());
    }
    QCOMPARE(backlog.heldLines(), held);
    QCOMPARE(backlog.dropped(), dropped);
    QCOMPARE(backlog.release(), dropped);
    QCOMPARE(backlog.heldLines(), qint64(0));
    QCOMPARE(backlog.dropped(), qint64(0));
    QCOMPARE(format(backlog.takeMerged()), released);
}

void TestUiWindowParts::backlogReleasesBeforeLaterLines() {
    LogBacklog backlog;
    addAll(backlog, "a@0: l0 l1");
    QCOMPARE(backlog.hold(), qint64(2));
    addAll(backlog, "a@2: l2"); // arrived after the pause ended, before the next frame
    QCOMPARE(backlog.release(), qint64(0));
    QCOMPARE(format(backlog.takeMerged()), QStringLiteral("a@0: l0 l1 l2"));
}

QTEST_MAIN(TestUiWindowParts)
#include "tst_ui_windowparts.moc"
