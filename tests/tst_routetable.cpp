// docs/architecture.md §3: the route table is the HTTP surface. Data-driven over the table
// itself, so a new row is covered without a new test row: every row is reachable on its own
// pattern, a wrong method gets 405 with the row's methods in Allow, the gate asks the access
// the row declares, a row whose service is absent answers 503, and the router holds exactly
// the table's registrations. Against the real server on a loopback port, with and without
// a (simulated) cluster.
#include "tst_securityraw.h"

#include "clusterservices.h"
#include "coretostring.h"
#include "servertostring.h"
#include "testjwt.h"

#include "core/clock.h"
#include "core/envelope.h"
#include "server/apierror.h"
#include "server/apiserver.h"
#include "server/jwtverifier.h"
#include "server/pullrequestbody.h"
#include "server/routetable.h"

#include <QDateTime>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <memory>

using namespace pw::core;
using namespace pw::http;
using namespace pw::server;

namespace {

const QByteArray kToken = "route-table-token-3f8a1c6e9b2d5f7a0c4e8b1d6f3a9c2e";
const QByteArray kSecret = "route-table-signing-secret-9c2e4a7f1b8d3e6c0a5f";

// A path the row's pattern matches: each {name} becomes "sample-1".
QByteArray samplePath(const QString &pattern) {
    QStringList segments = pattern.split(u'/');
    for (QString &s : segments)
        if (s.startsWith(u'{'))
            s = QStringLiteral("sample-1");
    return segments.join(u'/').toLatin1();
}

QByteArray upgradeHeaders() {
    return "Upgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
}

QByteArray bearer(const QByteArray &credential) {
    return "Authorization: Bearer " + credential + "\r\n";
}

QByteArray jwt(bool operatorRole) {
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    return TestJwt::hmac(TestJwt::platformClaims(now, QStringLiteral("someone"), operatorRole),
                         kSecret);
}

} // namespace

Q_DECLARE_METATYPE(RouteAccess)
Q_DECLARE_METATYPE(RouteService)
Q_DECLARE_METATYPE(ApiError::Kind)

class TestRouteTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void tableIsNotEmpty();
    void enumsPrintTheirNames();
    void errorKindsMapToStatuses_data();
    void errorKindsMapToStatuses();
    void pullBodyErrorsNameTheirField_data();
    void pullBodyErrorsNameTheirField();
    void everyRowIsReachable_data();
    void everyRowIsReachable();
    void wrongMethodIs405WithTheRowsMethods_data();
    void wrongMethodIs405WithTheRowsMethods();
    void accessIsTheRowsAccess_data();
    void accessIsTheRowsAccess();
    void absentServiceIs503_data();
    void absentServiceIs503();
    void presentServiceIsUsed_data();
    void presentServiceIsUsed();
    void webSocketRowWithoutUpgradeIs426_data();
    void webSocketRowWithoutUpgradeIs426();
    void noRouteOutsideTheTable_data();
    void noRouteOutsideTheTable();
    void apiDocumentListsTheTable();

private:
    std::unique_ptr<ApiServer> startServer(const ApiServices &services);
    // One row per method of every route of the server without a cluster.
    void rowsData();
    // On the server without a cluster unless `server` is given.
    RawResponse request(const QByteArray &method, const QByteArray &path, const QByteArray &headers,
                        QString *route = nullptr, const QByteArray &host = {},
                        ApiServer *server = nullptr);

    ClusterServices m_services;
    std::unique_ptr<ApiServer> m_bare;        // no cluster: every service absent
    std::unique_ptr<ApiServer> m_withCluster; // every service present
};

std::unique_ptr<ApiServer> TestRouteTable::startServer(const ApiServices &services) {
    ServerConfig config;
    config.port = 0;
    config.token = kToken;
    JwtVerifier::Settings hs;
    hs.secret = kSecret;
    hs.clock = Clock::system();
    QString error;
    config.jwt = JwtVerifier::create(hs, &error);
    if (!config.jwt) {
        qWarning() << error;
        return nullptr;
    }
    config.throttle.failureDelayMs = 0;
    auto server = std::make_unique<ApiServer>(config, services);
    if (!server->start(&error)) {
        qWarning() << error;
        return nullptr;
    }
    return server;
}

void TestRouteTable::initTestCase() {
    m_bare = startServer({});
    QVERIFY(m_bare);
    QString error;
    QVERIFY2(m_services.start(&error), qPrintable(error));
    m_withCluster = startServer(m_services.services());
    QVERIFY(m_withCluster);
}

void TestRouteTable::cleanupTestCase() {
    m_withCluster.reset();
    m_bare.reset();
    m_services.stop();
}

RawResponse TestRouteTable::request(const QByteArray &method, const QByteArray &path,
                                    const QByteArray &headers, QString *route,
                                    const QByteArray &host, ApiServer *server) {
    if (!server)
        server = m_bare.get();
    QSignalSpy finished(&server->http(), &HttpServer::requestFinished);
    const QByteArray body = method == "POST" ? QByteArray("{}") : QByteArray();
    const RawResponse r =
        rawRequest(server->port(), rawHttp(method, path, server->port(), headers, body, host));
    if (route) {
        // Told once the answer is written, which may be after the client read it.
        if (finished.isEmpty())
            finished.wait(2000);
        *route = finished.isEmpty() ? QStringLiteral("<none>") : finished.first().at(1).toString();
    }
    return r;
}

void TestRouteTable::tableIsNotEmpty() {
    // The data-driven tests below are only as good as the table they iterate.
    const QList<Route> &routes = m_bare->routes().routes();
    QVERIFY(routes.size() >= 25);
    const auto has = [&routes](const char *pattern, RouteAccess access) {
        return std::any_of(routes.begin(), routes.end(), [&](const Route &r) {
            return r.pattern == QLatin1String(pattern) && r.access == access;
        });
    };
    QVERIFY(has("/healthz", RouteAccess::Open));
    QVERIFY(has("/login", RouteAccess::Public));
    QVERIFY(has("/images/pull-active", RouteAccess::Viewer));
    QVERIFY(has("/images/pull", RouteAccess::Operator));
    QVERIFY(has("/ws/pod-logs", RouteAccess::Viewer));
}

void TestRouteTable::enumsPrintTheirNames()
{
    // What a failed QCOMPARE prints (the overloads of the test-support headers).
    const auto printed = [](char *text) {
        const QByteArray out(text);
        delete[] text;
        return out;
    };
    QCOMPARE(printed(toString(RouteAccess::Operator)), QByteArray("\"operator\""));
    QCOMPARE(printed(toString(RouteService::Pulls)), QByteArray("\"pulls\""));
    QCOMPARE(printed(toString(ApiError::Kind::Conflict)), QByteArray("\"kind with status 409\""));
    QCOMPARE(printed(toString(PullStatus::Failed)), QByteArray("\"failed\""));
    QCOMPARE(printed(toString(FailureReason::ImageNotFound)), QByteArray("\"ImageNotFound\""));
}

void TestRouteTable::errorKindsMapToStatuses_data()
{
    QTest::addColumn<ApiError::Kind>("kind");
    QTest::addColumn<int>("status");
    QTest::newRow("bad request") << ApiError::Kind::BadRequest << 400;
    QTest::newRow("unauthenticated") << ApiError::Kind::Unauthenticated << 401;
    QTest::newRow("forbidden") << ApiError::Kind::Forbidden << 403;
    QTest::newRow("not found") << ApiError::Kind::NotFound << 404;
    QTest::newRow("conflict") << ApiError::Kind::Conflict << 409;
    QTest::newRow("upgrade required") << ApiError::Kind::UpgradeRequired << 426;
    QTest::newRow("too many requests") << ApiError::Kind::TooManyRequests << 429;
    QTest::newRow("internal") << ApiError::Kind::Internal << 500;
    QTest::newRow("bad gateway") << ApiError::Kind::BadGateway << 502;
    QTest::newRow("unavailable") << ApiError::Kind::Unavailable << 503;
}

void TestRouteTable::errorKindsMapToStatuses()
{
    QFETCH(ApiError::Kind, kind);
    QFETCH(int, status);
    const ApiError error{kind, QStringLiteral("what was wrong"), QStringLiteral("field")};
    QCOMPARE(error.status(), status);
    const HttpResponse response = error.toResponse();
    QCOMPARE(response.status, status);
    QCOMPARE(response.body, Envelope::error(status, QStringLiteral("what was wrong")));
    // A service that chose a status (PullError) gets the same kind back.
    QCOMPARE(ApiError::fromStatus(status, QStringLiteral("x")).kind, kind);
}

void TestRouteTable::pullBodyErrorsNameTheirField_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("field");
    QTest::newRow("empty") << QByteArray() << "body";
    QTest::newRow("not JSON") << QByteArray("{") << "body";
    QTest::newRow("not an object") << QByteArray("[]") << "body";
    QTest::newRow("names not an array") << QByteArray(R"({"names":5})") << "names";
    QTest::newRow("a name not a string") << QByteArray(R"({"names":["a",1]})") << "names[1]";
    QTest::newRow("name not a string") << QByteArray(R"({"name":5})") << "name";
    QTest::newRow("no name") << QByteArray("{}") << "name";
    QTest::newRow("tag not a string") << QByteArray(R"({"name":"a","tag":5})") << "tag";
    QTest::newRow("tag twice") << QByteArray(R"({"name":"a:1","tag":"2"})") << "tag";
}

void TestRouteTable::pullBodyErrorsNameTheirField()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, field);
    QStringList references;
    const std::optional<ApiError> error = PullRequestBody::parse(body, &references);
    QVERIFY(error);
    QCOMPARE(error->kind, ApiError::Kind::BadRequest);
    QCOMPARE(error->field, field);
    QVERIFY2(error->message.contains(field.section(u'[', 0, 0)), qPrintable(error->message));
}

void TestRouteTable::rowsData() {
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<RouteAccess>("access");
    QTest::addColumn<RouteService>("service");
    QTest::addColumn<bool>("upgrade");
    for (const Route &route : m_bare->routes().routes())
        for (const QByteArray &method : route.methods)
            QTest::addRow("%s %s", method.constData(), qPrintable(route.pattern))
                << method << route.pattern << route.access << route.service << route.upgrade;
}

void TestRouteTable::everyRowIsReachable_data() {
    rowsData();
}

void TestRouteTable::everyRowIsReachable() {
    QFETCH(QByteArray, method);
    QFETCH(QString, pattern);
    QFETCH(bool, upgrade);
    QString route;
    const RawResponse r =
        request(method, samplePath(pattern),
                bearer(kToken) + (upgrade ? upgradeHeaders() : QByteArray()), &route);
    QVERIFY2(r.status != 0, "no answer");
    // The request reached this row's handler: the server says which pattern answered.
    QCOMPARE(route, pattern);
    QVERIFY2(r.status != 405, r.body.constData());
}

void TestRouteTable::wrongMethodIs405WithTheRowsMethods_data() {
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QByteArrayList>("allowed");
    QList<QString> patterns;
    QHash<QString, QByteArrayList> methods;
    for (const Route &route : m_bare->routes().routes()) {
        if (!methods.contains(route.pattern))
            patterns.append(route.pattern);
        methods[route.pattern] += route.methods;
    }
    for (const QString &pattern : std::as_const(patterns)) {
        QByteArrayList allowed = methods.value(pattern);
        std::sort(allowed.begin(), allowed.end());
        QTest::addRow("%s", qPrintable(pattern)) << pattern << allowed;
    }
}

void TestRouteTable::wrongMethodIs405WithTheRowsMethods() {
    QFETCH(QString, pattern);
    QFETCH(QByteArrayList, allowed);
    QVERIFY(!allowed.contains("PUT")); // no row takes PUT
    const RawResponse r = request("PUT", samplePath(pattern), bearer(kToken));
    QCOMPARE(r.status, 405);
    QByteArrayList got = r.header("allow").split(',');
    for (QByteArray &m : got)
        m = m.trimmed();
    std::sort(got.begin(), got.end());
    QCOMPARE(got, allowed);
    QCOMPARE(Envelope::parse(r.body).code, 405);
}

void TestRouteTable::accessIsTheRowsAccess_data() {
    rowsData();
}

void TestRouteTable::accessIsTheRowsAccess() {
    QFETCH(QByteArray, method);
    QFETCH(QString, pattern);
    QFETCH(RouteAccess, access);
    QFETCH(bool, upgrade);
    const QByteArray path = samplePath(pattern);
    const QByteArray extra = upgrade ? upgradeHeaders() : QByteArray();

    // Without a credential: open and public rows are served, the others need one.
    const int anonymous = request(method, path, extra).status;
    if (access == RouteAccess::Open || access == RouteAccess::Public)
        QVERIFY2(anonymous != 401 && anonymous != 403, QByteArray::number(anonymous).constData());
    else
        QCOMPARE(anonymous, 401);

    // A viewer: refused (403 naming the role) exactly on operator rows.
    const RawResponse viewer = request(method, path, bearer(jwt(false)) + extra);
    if (access == RouteAccess::Operator) {
        QCOMPARE(viewer.status, 403);
        QVERIFY2(viewer.body.contains("needs the operator role"), viewer.body.constData());
    } else {
        QVERIFY2(viewer.status != 401 && viewer.status != 403, viewer.body.constData());
    }

    // An operator is served everywhere.
    const int op = request(method, path, bearer(jwt(true)) + extra).status;
    QVERIFY2(op != 401 && op != 403, QByteArray::number(op).constData());

    // Under a foreign Host (DNS rebinding): only the open row is served.
    const int foreign =
        request(method, path, bearer(kToken) + extra, nullptr, "evil.example").status;
    if (access == RouteAccess::Open)
        QVERIFY2(foreign != 403, QByteArray::number(foreign).constData());
    else
        QCOMPARE(foreign, 403);
}

void TestRouteTable::absentServiceIs503_data() {
    rowsData();
}

void TestRouteTable::absentServiceIs503() {
    QFETCH(QByteArray, method);
    QFETCH(QString, pattern);
    QFETCH(RouteService, service);
    QFETCH(bool, upgrade);
    const RawResponse r = request(method, samplePath(pattern),
                                  bearer(kToken) + (upgrade ? upgradeHeaders() : QByteArray()));
    const QString error = Envelope::parse(r.body).error;
    if (service == RouteService::None) {
        QVERIFY2(!error.contains(QLatin1String(" unavailable")), qPrintable(error));
        return;
    }
    QCOMPARE(r.status, 503);
    QCOMPARE(Envelope::parse(r.body).code, 503);
    // RFC 9110 §15.6.4: a 503 may say when to try again; every one of ours does.
    QCOMPARE(r.header("retry-after"), QByteArray::number(ApiError::kRetryAfterSeconds));
    QCOMPARE(error, RouteTable::unavailableMessage(service));
    QVERIFY(error.startsWith(RouteTable::serviceName(service) + QLatin1String(" unavailable: ")));
}

void TestRouteTable::presentServiceIsUsed_data() {
    rowsData();
}

void TestRouteTable::presentServiceIsUsed() {
    QFETCH(QByteArray, method);
    QFETCH(QString, pattern);
    QFETCH(bool, upgrade);
    QString route;
    const RawResponse r = request(method, samplePath(pattern),
                                  bearer(kToken) + (upgrade ? upgradeHeaders() : QByteArray()),
                                  &route, {}, m_withCluster.get());
    QVERIFY2(r.status != 0, "no answer");
    QCOMPARE(route, pattern);
    // Whatever the handler answers (400 for the sample's parameters, 404 for the unknown
    // sample job, 101 for an upgrade), it is not the absent service's 503.
    QVERIFY2(!Envelope::parse(r.body).error.contains(QLatin1String(" unavailable: no cluster")),
             r.body.constData());
}

void TestRouteTable::webSocketRowWithoutUpgradeIs426_data() {
    rowsData();
}

void TestRouteTable::webSocketRowWithoutUpgradeIs426() {
    QFETCH(QByteArray, method);
    QFETCH(QString, pattern);
    QFETCH(bool, upgrade);
    const RawResponse r = request(method, samplePath(pattern), bearer(kToken));
    if (upgrade) {
        QCOMPARE(r.status, 426);
        QVERIFY(Envelope::parse(r.body).error.contains(QLatin1String("WebSocket upgrade")));
    } else {
        QVERIFY2(r.status != 426, r.body.constData());
    }
}

void TestRouteTable::noRouteOutsideTheTable_data() {
    QTest::addColumn<bool>("cluster");
    QTest::newRow("without a cluster") << false;
    QTest::newRow("with a cluster") << true;
}

void TestRouteTable::noRouteOutsideTheTable() {
    QFETCH(bool, cluster);
    ApiServer *server = cluster ? m_withCluster.get() : m_bare.get();
    QList<QPair<QByteArray, QString>> declared;
    for (const Route &route : server->routes().routes())
        for (const QByteArray &method : route.methods)
            declared.append({method, route.pattern});
    QList<QPair<QByteArray, QString>> registered = server->http().router().registrations();
    std::sort(declared.begin(), declared.end());
    std::sort(registered.begin(), registered.end());
    QCOMPARE(registered, declared);
    // The same table whether or not the services are there: only the handlers differ.
    QCOMPARE(server->routes().routes().size(), m_bare->routes().routes().size());
}

void TestRouteTable::apiDocumentListsTheTable()
{
    // docs/api.md's route list is the table, row for row, between its two markers.
    QString expected = QStringLiteral("| method | path | access | needs |\n|---|---|---|---|\n");
    for (const Route &route : m_bare->routes().routes()) {
        QString methods = QString::fromLatin1(route.methods.join(", "));
        if (route.upgrade)
            methods += QStringLiteral(" (WebSocket)");
        const QString needs = route.service == RouteService::None
                                  ? QStringLiteral("—")
                                  : RouteTable::serviceName(route.service);
        expected += QStringLiteral("| %1 | `%2` | %3 | %4 |\n")
                        .arg(methods, route.pattern, RouteTable::accessName(route.access), needs);
    }
    QFile file(QStringLiteral(PULLWATCH_SOURCE_DIR "/docs/api.md"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    const QString begin = QStringLiteral("<!-- route table: begin -->\n");
    const qsizetype from = text.indexOf(begin);
    const qsizetype to = text.indexOf(QStringLiteral("<!-- route table: end -->"));
    QVERIFY2(from >= 0 && to > from, "docs/api.md has no route table markers");
    const QString documented = text.mid(from + begin.size(), to - from - begin.size());
    QVERIFY2(documented == expected,
             qPrintable(QStringLiteral("docs/api.md's route table differs from the server's; "
                                       "it should read:\n") + expected));
}

QTEST_MAIN(TestRouteTable)
#include "tst_routetable.moc"
