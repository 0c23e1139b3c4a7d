// One Logs tab's view against the real backend (`pullwatch --headless --demo` on a loopback
// port), driven through the widgets on the offscreen platform: merged views with a coloured
// pod/container prefix, clicking a prefix to filter, JSON indenting and the jump-to-end button.
#include "uilogtabsfixture.h"

#include "ui/jumptobottom.h"
#include "ui/logdelegate.h"
#include "ui/loglevel.h"
#include "ui/logmodel.h"
#include "ui/logspage.h"
#include "ui/logview.h"
#include "ui/mainwindow.h"

#include <QCheckBox>
#include <QHash>
#include <QListView>
#include <QScrollBar>
#include <QTest>
#include <QToolButton>
#include <QUrlQuery>

using namespace pw::ui;

class TestUiLogTabsView : public UiLogTabsFixture {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { startLogsPage(); }
    void cleanupTestCase() { stopBackendAndWindow(); }
    void cleanup() { closeLogTabs(); }
    void mergedSelectorPrefixesEachContainer();
    void clickingPrefixFilters();
    void jsonPrettyToggle();
    void jumpToBottomCounts();
};

void TestUiLogTabsView::mergedSelectorPrefixesEachContainer() {
    LogTarget target;
    target.namespaceName = QStringLiteral("demo");
    target.selector = QStringLiteral("app=batch-worker");
    target.tailLines = 20;
    LogView *view = m_page->open(target);
    QVERIFY(view);
    QCOMPARE(view->stream()->lastQuery().queryItemValue(QStringLiteral("selector")),
             QStringLiteral("app=batch-worker"));
    const QString pod = podNamed(QStringLiteral("batch-worker-"));
    const QSet<QString> both{pod + QStringLiteral("/worker"), pod + QStringLiteral("/log-shipper")};
    QTRY_COMPARE_WITH_TIMEOUT(sourcesOf(view), both, 30'000);
    // Each line carries its source; the prefix is painted before it, in the source's colour.
    auto *delegate = qobject_cast<LogDelegate *>(view->view()->itemDelegate());
    QVERIFY(delegate);
    // Each source keeps one colour on every row, and the two sources of the view differ (a
    // source whose hashed colour another already holds takes the next free one, so the colour
    // depends on the pods' random names: compare sources with each other, not with the hash).
    QHash<QString, QColor> colours;
    for (const QModelIndex &i : lineRows(view)) {
        const QString source = i.data(LogModel::SourceRole).toString();
        const QColor colour = i.data(LogModel::SourceColourRole).value<QColor>();
        QVERIFY(colour.isValid());
        QCOMPARE(colours.value(source, colour), colour);
        colours.insert(source, colour);
        QVERIFY(delegate->prefixWidth(view->view()->font(), i) >
                QFontMetrics(view->view()->font()).horizontalAdvance(source));
        if (source.endsWith(QStringLiteral("/log-shipper")))
            QVERIFY(i.data().toString().contains(QStringLiteral("heartbeat")));
        else
            QVERIFY(i.data().toString().contains(QStringLiteral("processed batch")));
    }
    QCOMPARE(colours.size(), 2);
    QVERIFY2(colours.value(both.values().first()) != colours.value(both.values().last()),
             "the two sources of one view share a colour");
    // The prefix toggle: no prefix, nothing to click.
    const QModelIndex first = lineRows(view).first();
    view->setShowPrefix(false);
    QCOMPARE(delegate->prefixWidth(view->view()->font(), first), 0);
    view->setShowPrefix(true);
    // The timestamp toggle leaves the prefix alone.
    const QString raw = first.data(LogModel::RawTextRole).toString();
    QVERIFY(stampOf(raw).isValid());
    view->setShowTimestamps(false);
    QCOMPARE(first.data().toString(), raw.section(u' ', 1));
    QVERIFY(!first.data(LogModel::SourceRole).toString().isEmpty());
    view->setShowTimestamps(true);
    QCOMPARE(first.data().toString(), raw);
}

void TestUiLogTabsView::clickingPrefixFilters() {
    LogTarget target;
    target.namespaceName = QStringLiteral("demo");
    target.selector = QStringLiteral("app=batch-worker");
    target.tailLines = 20;
    LogView *view = m_page->open(target);
    const QString pod = podNamed(QStringLiteral("batch-worker-"));
    const QString shipper = pod + QStringLiteral("/log-shipper");
    QTRY_COMPARE_WITH_TIMEOUT(sourcesOf(view).size(), 2, 30'000);
    view->setPaused(true); // rows stay where they are while we click
    QListView *list = view->view();
    auto clickPrefixOf = [view, list](const QString &source) {
        for (const QModelIndex &i : lineRows(view))
            if (i.data(LogModel::SourceRole).toString() == source) {
                list->scrollTo(i);
                const QRect rect = list->visualRect(i);
                const QPoint at(rect.left() + 10, rect.center().y());
                if (view->prefixAt(at) != source)
                    return false;
                QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, at);
                return true;
            }
        return false;
    };
    QVERIFY(clickPrefixOf(shipper));
    QCOMPARE(view->sourceFilter(), shipper);
    QCOMPARE(sourcesOf(view), QSet<QString>{shipper});
    auto *showAll = view->findChild<QToolButton *>(QStringLiteral("showAllSources"));
    QVERIFY(showAll && showAll->isEnabled());
    // Clicking that prefix again shows every source.
    QVERIFY(clickPrefixOf(shipper));
    QVERIFY(view->sourceFilter().isEmpty());
    QCOMPARE(sourcesOf(view).size(), 2);
    QVERIFY(!showAll->isEnabled());
    // And so does "Show all".
    QVERIFY(clickPrefixOf(pod + QStringLiteral("/worker")));
    QCOMPARE(sourcesOf(view), QSet<QString>{pod + QStringLiteral("/worker")});
    QTest::mouseClick(showAll, Qt::LeftButton);
    QVERIFY(view->sourceFilter().isEmpty());
    QCOMPARE(sourcesOf(view).size(), 2);
    // A click on the text, not the prefix, filters nothing.
    const QModelIndex row = lineRows(view).first();
    const QRect rect = list->visualRect(row);
    auto *delegate = qobject_cast<LogDelegate *>(list->itemDelegate());
    const int textStart = rect.left() + 4 + delegate->prefixWidth(list->font(), row);
    QVERIFY(!view->prefixAt(QPoint(textStart - 12, rect.center().y())).isEmpty());
    QVERIFY(view->prefixAt(QPoint(textStart + 5, rect.center().y())).isEmpty());
    // The pointer shows the prefix can be clicked.
    QTest::mouseMove(list->viewport(), QPoint(textStart - 12, rect.center().y()));
    QTRY_COMPARE(list->viewport()->cursor().shape(), Qt::PointingHandCursor);
    QTest::mouseMove(list->viewport(), QPoint(textStart + 5, rect.center().y()));
    QTRY_COMPARE(list->viewport()->cursor().shape(), Qt::ArrowCursor);
    view->setPaused(false);
}

void TestUiLogTabsView::jsonPrettyToggle() {
    // The importer writes JSON lines; its restarts and crash lines are plain.
    LogView *view =
        m_page->open(demoTarget(QStringLiteral("flaky-importer-"), QStringLiteral("importer")));
    QTRY_VERIFY_WITH_TIMEOUT(lineRows(view).size() >= 3, 20'000);
    view->setPaused(true);
    LogModel *model = view->model();
    // A plain line among them, appended as the stream would.
    model->appendLines({QStringLiteral("2026-12-06T05:00:00Z INFO importer: starting (run 1)")});
    QModelIndex json;
    for (const QModelIndex &i : lineRows(view))
        if (i.data(LogModel::RawTextRole).toString().contains(QStringLiteral("{\"level\"")))
            json = i;
    QVERIFY(json.isValid());
    const QModelIndex plain = lineRows(view).last();
    const QString plainText = plain.data().toString();
    const int rowHeight = view->view()->visualRect(json).height();
    QCOMPARE(json.data(LogModel::LineCountRole).toInt(), 1);

    QCheckBox *jsonBox = nullptr;
    for (QCheckBox *b : view->findChildren<QCheckBox *>())
        if (b->text() == QStringLiteral("JSON"))
            jsonBox = b;
    QVERIFY(jsonBox);
    jsonBox->click();
    QVERIFY(model->prettyJson());
    const QString pretty = json.data().toString();
    QVERIFY2(pretty.contains(QStringLiteral("{\n    \"batch\": ")), qPrintable(pretty));
    QVERIFY(stampOf(pretty).isValid()); // the timestamp stays in front
    QVERIFY(json.data(LogModel::LineCountRole).toInt() >= 6);
    QCOMPARE(plain.data().toString(), plainText); // plain lines unchanged
    QCOMPARE(plain.data(LogModel::LineCountRole).toInt(), 1);
    QTRY_VERIFY(view->view()->visualRect(json).height() >= rowHeight * 5);
    // Lines that come while it is on are indented as they come.
    model->appendLines({QStringLiteral(R"({"level":"error","msg":"late"})")});
    const QModelIndex late = model->index(model->rowCount() - 1);
    QVERIFY(late.data().toString().contains(QStringLiteral("\n    \"msg\": \"late\"")));
    QCOMPARE(LogLevel(late.data(LogModel::LevelRole).toInt()), LogLevel::Error);
    jsonBox->click();
    QVERIFY(!model->prettyJson());
    QCOMPARE(json.data().toString(), json.data(LogModel::RawTextRole).toString());
    QTRY_COMPARE(view->view()->visualRect(json).height(), rowHeight);
    view->setPaused(false);
}

void TestUiLogTabsView::jumpToBottomCounts() {
    // Every demo workload merged (about five lines a second), in a low window: soon more lines
    // than fit, so there is somewhere to scroll to.
    LogTarget target;
    target.namespaceName = QStringLiteral("demo");
    target.selector = QStringLiteral("app");
    target.tailLines = 300;
    const QSize size = m_window->size();
    m_window->resize(size.width(), 480);
    LogView *view = m_page->open(target);
    QListView *list = view->view();
    QTRY_VERIFY_WITH_TIMEOUT(list->verticalScrollBar()->maximum() > 10, 30'000);
    JumpToBottom *jump = view->jumpButton();
    QTRY_VERIFY(list->verticalScrollBar()->value() == list->verticalScrollBar()->maximum());
    QVERIFY(jump->isHidden());
    // Scrolled up: following pauses, and the button counts the lines that come.
    list->verticalScrollBar()->setValue(0);
    QTRY_VERIFY_WITH_TIMEOUT(jump->isVisible() && jump->newLines() >= 2, 20'000);
    QCOMPARE(list->verticalScrollBar()->value(), 0); // not moved by new lines
    QCOMPARE(jump->text(), QStringLiteral("↓ %1 new lines").arg(jump->newLines()));
    QVERIFY(jump->text().startsWith(QStringLiteral("↓ ")));
    const QRect area = list->viewport()->geometry();
    QVERIFY(area.contains(jump->geometry())); // floats over the rows
    // Clicking it goes to the end and follows again.
    QTest::mouseClick(jump, Qt::LeftButton);
    QVERIFY(jump->isHidden());
    QCOMPARE(jump->newLines(), qint64(0));
    QCOMPARE(list->verticalScrollBar()->value(), list->verticalScrollBar()->maximum());
    const int rows = view->model()->rowCount();
    QTRY_VERIFY_WITH_TIMEOUT(view->model()->rowCount() > rows + 1, 20'000);
    QTRY_COMPARE(list->verticalScrollBar()->value(), list->verticalScrollBar()->maximum());
    QVERIFY(jump->isHidden());
    m_window->resize(size);
}

QTEST_MAIN(TestUiLogTabsView)
#include "tst_ui_logtabs_view.moc"
