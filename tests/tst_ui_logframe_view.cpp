// Log frames as our server writes them (backend/logs/logfanout.cpp), end to end through
// LogStream into the LogView: the direct reader's lines reach the model intact (escapes,
// colours, unicode), and the view follows the end after each append — scrolled once the
// rows are laid out, not per batch — unless the user has scrolled away from it.
#include "ui/apiclient.h"
#include "ui/logmodel.h"
#include "ui/logview.h"

#include <QListView>
#include <QScrollBar>
#include <QTest>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace pw::ui;

namespace {

// `count` lines numbered from `first`, escaped the way LogFrameWriter::appendEscaped does.
QString serverFrame(qint64 first, int count) {
    QString data;
    for (int i = 0; i < count; ++i)
        data += QStringLiteral("2026-11-27T10:00:00.000000001Z \\u001b[32mINFO\\u001b[0m "
                               "line=%1 \\\"quoted\\\" Grüße \\ud83d\\ude00\\n")
                    .arg(first + i);
    return QStringLiteral("{\"type\":\"log\",\"data\":\"%1\",\"seq\":%2,\"lines\":%3}")
        .arg(data)
        .arg(first)
        .arg(count);
}

} // namespace

class TestUiLogFrameView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void linesReachTheModelIntact();
    void followsTheEndUnlessScrolledAway();

private:
    void follow(LogView &view);
    QWebSocketServer *m_server = nullptr;
    QWebSocket *m_socket = nullptr;
    ApiClient *m_client = nullptr;
};

void TestUiLogFrameView::init() {
    m_server = new QWebSocketServer(QStringLiteral("logs"), QWebSocketServer::NonSecureMode, this);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    m_socket = nullptr;
    connect(m_server, &QWebSocketServer::newConnection, this, [this] {
        while (QWebSocket *s = m_server->nextPendingConnection())
            m_socket = s;
    });
    m_client = new ApiClient(
        QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server->serverPort())), QString());
}

void TestUiLogFrameView::cleanup() {
    delete m_client;
    m_client = nullptr;
    delete m_server;
    m_server = nullptr;
}

void TestUiLogFrameView::follow(LogView &view) {
    view.follow(LogTarget{QStringLiteral("default"), QStringLiteral("web-1"), QString(),
                          QStringLiteral("nginx")});
    QTRY_VERIFY(m_socket != nullptr);
    QTRY_VERIFY(m_socket->state() == QAbstractSocket::ConnectedState);
}

void TestUiLogFrameView::linesReachTheModelIntact() {
    LogView view(m_client);
    follow(view);
    m_socket->sendTextMessage(serverFrame(0, 3));
    m_socket->sendTextMessage(QStringLiteral("{\"type\":\"gap\",\"missed\":4}"));
    m_socket->sendTextMessage(serverFrame(7, 2));
    QTRY_COMPARE(view.receivedTotal(), qint64(5));
    LogModel *model = view.model();
    QTRY_COMPARE(model->rowCount(), 1 + 3 + 1 + 2); // following…, 3 lines, gap, 2 lines
    QCOMPARE(model->kindAt(4), LogModel::Kind::Gap);
    QCOMPARE(model->seqAt(6), qint64(8));
    QCOMPARE(model->displayText(6),
             QStringLiteral(u"2026-11-27T10:00:00.000000001Z INFO line=8 \"quoted\" Grüße "
                            u"\U0001F600"));
    const auto spans = model->index(6).data(LogModel::SpansRole).value<QList<AnsiSpan>>();
    QCOMPARE(spans.size(), 1); // "INFO" in green
    QCOMPARE(spans[0].start, 31);
    QCOMPARE(spans[0].length, 4);
    view.stop();
}

void TestUiLogFrameView::followsTheEndUnlessScrolledAway() {
    LogView view(m_client);
    view.resize(800, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    follow(view);
    QScrollBar *bar = view.view()->verticalScrollBar();

    for (int f = 0; f < 4; ++f)
        m_socket->sendTextMessage(serverFrame(f * 250, 250));
    QTRY_COMPARE(view.receivedTotal(), qint64(1000));
    QTRY_COMPARE(view.model()->rowCount(), 1001);
    QTRY_VERIFY(bar->maximum() > 0 && bar->value() == bar->maximum());

    // Scrolled away: new lines arrive, the position stays.
    bar->setValue(0);
    m_socket->sendTextMessage(serverFrame(1000, 250));
    QTRY_COMPARE(view.model()->rowCount(), 1251);
    QTRY_VERIFY(bar->maximum() > 0);
    // The scroll would come in the pass after the append: let a few passes run.
    QTest::qWait(150);
    QCOMPARE(bar->value(), 0);

    // Back at the end: it follows again.
    bar->setValue(bar->maximum());
    const int maximumBefore = bar->maximum();
    m_socket->sendTextMessage(serverFrame(1250, 250));
    QTRY_COMPARE(view.model()->rowCount(), 1501);
    QTRY_VERIFY(bar->maximum() > maximumBefore && bar->value() == bar->maximum());
    view.stop();
}

QTEST_MAIN(TestUiLogFrameView)
#include "tst_ui_logframe_view.moc"
