#include "wslogsfixture.h"

#include "wslogclient.h"
#include "wswait.h"

#include <httpclient.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pw::server;

const QByteArray WsLogsFixture::kChattyScenario = R"({
  "timeScale": 0.5,
  "rules": [
    {"keyword": "chattymillion", "outcome": "chatty", "linesPerSecond": 0, "lines": 1000000},
    {"keyword": "chattyshared", "outcome": "chatty", "linesPerSecond": 0, "lines": 100000, "scheduleMs": 4000},
    {"keyword": "chattyslow", "outcome": "chatty", "linesPerSecond": 0, "lines": 1000000, "scheduleMs": 3000},
    {"keyword": "chattyendless", "outcome": "chatty", "linesPerSecond": 50000, "lines": 0},
    {"keyword": "chattyrestart", "outcome": "chatty", "linesPerSecond": 2000, "lines": 0}
  ]
})";

QString WsLogsFixture::startChattyRestartAndLeave(qint64 *resumeAt, QString *streamId) {
    start();
    if (QTest::currentTestFailed())
        return {};
    const QString id = m_f->startPull(QStringLiteral("example.com/chattyrestart:1"));
    if (id.isEmpty()) {
        QTest::qFail("the chattyrestart pull did not start", __FILE__, __LINE__);
        return {};
    }
    const QString query = QStringLiteral("job=%1&container=push-to-harbor").arg(id);
    WsTest::readAndLeave(*m_f, logs(query), resumeAt, streamId);
    return QTest::currentTestFailed() ? QString() : query;
}

QString WsLogsFixture::startEndlessKept(std::unique_ptr<WsTest::LogClient> *keeper) {
    WsConfig ws;
    ws.ringLines = 5000;
    start(ws);
    if (QTest::currentTestFailed())
        return {};
    const QString id = m_f->startPull(QStringLiteral("example.com/chattyendless:1"));
    if (id.isEmpty()) {
        QTest::qFail("the chattyendless pull did not start", __FILE__, __LINE__);
        return {};
    }
    const QString query = QStringLiteral("job=%1&container=push-to-harbor").arg(id);
    *keeper = std::make_unique<WsTest::LogClient>(logs(query));
    WsTest::LogClient *k = keeper->get();
    if (!WsTest::waitFor([k] { return k->received > 20'000; }, 30000)) {
        QTest::qFail("the keeper did not get 20,000 lines in 30 s", __FILE__, __LINE__);
        return {};
    }
    return query;
}

void WsLogsFixture::start(const WsConfig &ws) {
    startWith(ws, m_scenario);
}

void WsLogsFixture::startDemo(const QByteArray &scenario) {
    startWith({}, scenario);
}

void WsLogsFixture::startWith(const WsConfig &ws, const QByteArray &scenario) {
    m_f = std::make_unique<WsTest::Fixture>();
    QVERIFY(m_f->start(ws, scenario, true));
    QVERIFY(WsTest::waitFor([&] { return m_f->pulls->isReady(); }, 10000));
}

QUrl WsLogsFixture::logs(const QString &query) const {
    return m_f->url(QStringLiteral("/ws/pod-logs"), query);
}

QString WsLogsFixture::demoPod(const QString &prefix, int *restarts) {
    HttpClient http;
    const HttpResult r =
        http.get(m_f->httpUrl(QStringLiteral("/pods"), QStringLiteral("namespace=demo")));
    for (const QJsonValue &p :
         QJsonDocument::fromJson(r.body).object().value(QStringLiteral("data")).toArray()) {
        const QString name = p[QStringLiteral("name")].toString();
        if (!name.startsWith(prefix))
            continue;
        if (restarts)
            *restarts = p[QStringLiteral("containers")][0][QStringLiteral("restart_count")].toInt();
        return name;
    }
    return {};
}
