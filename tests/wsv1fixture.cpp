#include "wsv1fixture.h"

#include "wswait.h"

#include <httpclient.h>

#include <QJsonDocument>
#include <QTest>

namespace {

const QByteArray kV1Scenario = R"({
  "timeScale": 0.1,
  "rules": [
    {"keyword": "chattyendless", "outcome": "chatty", "linesPerSecond": 50000, "lines": 0},
    {"keyword": "chattyrestart", "outcome": "chatty", "linesPerSecond": 2000, "lines": 0}
  ]
})";

} // namespace

const QStringList kAskNothing;

// Why `m` is not a message of the original's pull sockets ({job_id, image, status, progress,
// message, timestamp}; more fields are allowed); empty when it is one.
QString pullShapeError(const QJsonObject &m) {
    const QString text = QString::fromUtf8(QJsonDocument(m).toJson(QJsonDocument::Compact));
    for (const char *field : {"job_id", "image", "status", "message", "timestamp"})
        if (!m.value(QLatin1String(field)).isString())
            return QStringLiteral("no string \"%1\" in %2").arg(QLatin1String(field), text);
    static const QStringList statuses{QStringLiteral("pending"), QStringLiteral("pulling"),
                                      QStringLiteral("completed"), QStringLiteral("failed")};
    if (!statuses.contains(m.value(QStringLiteral("status")).toString()))
        return QStringLiteral("status not one of the original's four in %1").arg(text);
    if (!m.value(QStringLiteral("progress")).isDouble())
        return QStringLiteral("no number \"progress\" in %1").arg(text);
    return {};
}

// Why `m` is not a message of the original's log socket ({"type":"log","data":…} or
// {"type":"error","error":…}); empty when it is one.
QString logShapeError(const QJsonObject &m) {
    const QString type = m.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("log") && m.value(QStringLiteral("data")).isString())
        return {};
    if (type == QLatin1String("error") && m.value(QStringLiteral("error")).isString())
        return {};
    return QStringLiteral("not a log or error message: %1")
        .arg(QString::fromUtf8(QJsonDocument(m).toJson(QJsonDocument::Compact)));
}

QStringList shapeErrors(const QList<QJsonObject> &messages, QString (*check)(const QJsonObject &)) {
    QStringList out;
    for (const QJsonObject &m : messages) {
        const QString error = check(m);
        if (!error.isEmpty())
            out.append(error);
    }
    return out;
}

// The value of an unlabelled metric in Prometheus text; -1 when it is not there.
qint64 metricValue(const QByteArray &text, const QByteArray &name) {
    for (const QByteArray &line : text.split('\n'))
        if (line.startsWith(name + ' '))
            return line.mid(name.size() + 1).toLongLong();
    return -1;
}

QJsonObject subscribe(const QString &action, const QString &id) {
    return {{QStringLiteral("action"), action}, {QStringLiteral("job_id"), id}};
}

WsV1Fixture::WsV1Fixture()
    : WsLogsFixture(kV1Scenario) {}

std::unique_ptr<WsTest::Client> WsV1Fixture::startAndOpenAll() {
    start();
    if (QTest::currentTestFailed())
        return nullptr;
    auto c = std::make_unique<WsTest::Client>(m_f->url(QStringLiteral("/ws/image-pull-all")),
                                              kAskNothing);
    if (!WsTest::waitFor([&] { return c->connected; }, 10000))
        return nullptr;
    return c;
}

QByteArray WsV1Fixture::metrics() const {
    HttpClient http;
    return http.get(m_f->httpUrl(QStringLiteral("/metrics"))).body;
}
