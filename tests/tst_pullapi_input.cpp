#include "pullapifixture.h"

#include "core/envelope.h"
#include "core/imagereference.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace pw::core;

// What the REST API of docs/architecture.md §3 takes in, over real HTTP on the simulated
// cluster: the inputs the original service accepted, the pull checks in the same words as the
// pulls, and an error naming the field for every bad parameter and body.
class TestPullApiInput : public PullApiFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { startServers(); }
    void cleanupTestCase() { stopServers(); }
    void originalInputsAccepted_data();
    void originalInputsAccepted();
    void failedLimitAsTheOriginal_data();
    void failedLimitAsTheOriginal();
    void pullCheckSaysWhatIsWrong();
    void pullCheckAppliesThePullRules();
    void hostileInput_data();
    void hostileInput();
};

// docs/api.md "Compatibility": what the original service accepted keeps working.
void TestPullApiInput::originalInputsAccepted_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("sources");
    QTest::newRow("names wins over name and tag") << QByteArray(R"({"names":["compat-a:1"],"name":"compat-b","tag":"2"})")
                                                  << QStringList{"docker.io/library/compat-a:1"};
    QTest::newRow("empty name and tag beside names") << QByteArray(R"({"names":["compat-c:1","compat-c2:1"],"name":"","tag":""})")
                                                     << QStringList{"docker.io/library/compat-c:1", "docker.io/library/compat-c2:1"};
    QTest::newRow("tag null") << QByteArray(R"({"name":"compat-d:3","tag":null})") << QStringList{"docker.io/library/compat-d:3"};
    QTest::newRow("tag empty") << QByteArray(R"({"name":"compat-e","tag":""})") << QStringList{"docker.io/library/compat-e:latest"};
    QTest::newRow("names empty, name given") << QByteArray(R"({"names":[],"name":"compat-f:1"})")
                                             << QStringList{"docker.io/library/compat-f:1"};
    QTest::newRow("names null, name and tag") << QByteArray(R"({"names":null,"name":"compat-g","tag":"2"})")
                                              << QStringList{"docker.io/library/compat-g:2"};
}

void TestPullApiInput::originalInputsAccepted()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, sources);
    const HttpResult r = m_http.send("POST", url("/images/pull"), body, {{"Content-Type", "application/json"}});
    QVERIFY2(r.status == 200, r.body.constData());
    const QJsonArray ids = envelope(r)["data"].toObject()["job_ids"].toArray();
    QCOMPARE(ids.size(), sources.size());
    for (qsizetype i = 0; i < ids.size(); ++i)
        QCOMPARE(envelope(m_http.get(url("/images/pull/" + ids[i].toString())))["data"].toObject()["source"].toString(),
                 sources[i]);
}

void TestPullApiInput::failedLimitAsTheOriginal_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("limit"); // the limit used, seen in the cache key
    QTest::newRow("number") << "limit=7" << 7;
    QTest::newRow("absent") << "" << 50;
    QTest::newRow("empty") << "limit=" << 50;
    QTest::newRow("text") << "limit=ten" << 50;
    QTest::newRow("zero") << "limit=0" << 50;
    QTest::newRow("negative") << "limit=-5" << 50;
    QTest::newRow("plus sign") << "limit=%2B5" << 50;
    QTest::newRow("fraction") << "limit=2.5" << 50;
    QTest::newRow("above the cap") << "limit=501" << 500;
    QTest::newRow("beyond int") << "limit=99999999999999" << 500;
}

void TestPullApiInput::failedLimitAsTheOriginal()
{
    QFETCH(QString, query);
    QFETCH(int, limit);
    const QByteArray key = "image:pull:failed:" + QByteArray::number(limit);
    m_sharedCache->invalidate("failed"); // what an earlier row left must not answer
    m_redis.command("DEL " + key);
    QVERIFY(m_redis.command("EXISTS " + key).startsWith(":0"));
    const HttpResult r = m_http.get(QUrl::fromEncoded(url("/images/pull-failed?" + query, true).toEncoded()));
    QCOMPARE(r.status, 200);
    QCOMPARE(envelope(r)["message"].toString(), "success");
    QVERIFY(envelope(r)["data"].isArray());
    QTRY_VERIFY(m_redis.command("EXISTS " + key).startsWith(":1"));
}

void TestPullApiInput::pullCheckSaysWhatIsWrong()
{
    const QString longName(300, u'a');
    const HttpResult r = m_http.send("POST", url("/images/pull-check"),
                                     QJsonDocument(QJsonObject{{"names", QJsonArray{"nginx:1.27", "Nginx::1", longName}}})
                                         .toJson(QJsonDocument::Compact));
    QCOMPARE(r.status, 200);
    const QJsonArray results = envelope(r)["data"].toArray();
    QCOMPARE(results.size(), 3);
    QCOMPARE(results[0].toObject()["ok"].toBool(), true);
    QCOMPARE(results[0].toObject()["source"].toString(), "docker.io/library/nginx:1.27");
    // The same words as ImageReference gives the desktop dialog.
    for (int i : {1, 2}) {
        const QJsonObject o = results[i].toObject();
        QCOMPARE(o["ok"].toBool(), false);
        QCOMPARE(o["error"].toString(), ImageReference::parse(o["name"].toString()).error());
    }
    QVERIFY2(results[2].toObject()["error"].toString().contains("300 characters"),
             qPrintable(results[2].toObject()["error"].toString()));
    // Nothing was started.
    QVERIFY(!m_http.get(url("/images/pull-active")).body.contains("Nginx"));
    // A malformed body is refused as POST /images/pull refuses it.
    QCOMPARE(m_http.send("POST", url("/images/pull-check"), "[]").status, 400);
}

// POST /images/pull-check and POST /images/pull refuse a name for the same reason, in the
// same words: the registry policy too, not only the reference rules.
void TestPullApiInput::pullCheckAppliesThePullRules()
{
    const QByteArray body = R"({"names":["nginx:1.27","169.254.169.254/latest:1"]})";
    const HttpResult check = m_http.send("POST", url("/images/pull-check"), body, {{"Content-Type", "application/json"}});
    QCOMPARE(check.status, 200);
    const QJsonArray results = envelope(check)["data"].toArray();
    QCOMPARE(results.size(), 2);
    QCOMPARE(results[0].toObject()["ok"].toBool(), true);
    const QJsonObject refused = results[1].toObject();
    QCOMPARE(refused["ok"].toBool(), false);
    QVERIFY2(refused["error"].toString().contains("link-local"), qPrintable(refused["error"].toString()));
    const HttpResult pull = m_http.send("POST", url("/images/pull"), body, {{"Content-Type", "application/json"}});
    QCOMPARE(pull.status, 400);
    QCOMPARE(envelope(pull)["error"].toString(),
             "names[1] '169.254.169.254/latest:1': " + refused["error"].toString());
}

void TestPullApiInput::hostileInput_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");

    QTest::newRow("history status") << QByteArray("GET") << "/images/pull-history?status=done" << QByteArray() << 400 << "status must be completed, failed or all";
    QTest::newRow("history limit") << QByteArray("GET") << "/images/pull-history?limit=501" << QByteArray() << 400 << "limit must be a whole number from 1 to 500";
    QTest::newRow("history before") << QByteArray("GET") << "/images/pull-history?before=yesterday" << QByteArray() << 400 << "before must be an RFC 3339 time";
    QTest::newRow("history before_id alone") << QByteArray("GET") << "/images/pull-history?before_id=image-puller-x" << QByteArray() << 400 << "before_id must be the job_id";
    QTest::newRow("empty body") << QByteArray("POST") << "/images/pull" << QByteArray() << 400 << "request body is empty";
    QTest::newRow("malformed JSON") << QByteArray("POST") << "/images/pull" << QByteArray("{\"names\":[") << 400 << "not valid JSON";
    QTest::newRow("JSON array") << QByteArray("POST") << "/images/pull" << QByteArray("[\"nginx\"]") << 400 << "must be a JSON object";
    QTest::newRow("names not array") << QByteArray("POST") << "/images/pull" << QByteArray("{\"names\":\"nginx\"}") << 400 << "names must be an array";
    QTest::newRow("names entry not string") << QByteArray("POST") << "/images/pull" << QByteArray("{\"names\":[\"nginx\",7]}") << 400 << "names[1] must be a string";
    QTest::newRow("names empty") << QByteArray("POST") << "/images/pull" << QByteArray("{\"names\":[]}") << 400 << "names is empty and no name is given";
    QTest::newRow("name not string") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":{}}") << 400 << "name must be a string";
    QTest::newRow("tag not string") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"nginx\",\"tag\":1}") << 400 << "tag must be a string";
    QTest::newRow("tag twice") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"nginx:1\",\"tag\":\"2\"}") << 400 << "already carries a tag";
    QTest::newRow("only empty name and tag") << QByteArray("POST") << "/images/pull" << QByteArray(R"({"name":"","tag":"1"})") << 400 << "no image given";
    QTest::newRow("empty names entry") << QByteArray("POST") << "/images/pull" << QByteArray(R"({"names":[""]})") << 400 << "names[0] '': image reference is empty";
    QTest::newRow("tag not string or null") << QByteArray("POST") << "/images/pull" << QByteArray(R"({"name":"nginx","tag":[]})") << 400 << "tag must be a string or null";
    QTest::newRow("no image") << QByteArray("POST") << "/images/pull" << QByteArray("{\"image\":\"nginx\"}") << 400 << "no image given";
    QTest::newRow("one bad among good") << QByteArray("POST") << "/images/pull" << QByteArray("{\"names\":[\"nginx:1\",\"../etc/passwd\",\"redis\"]}") << 400 << "names[1] '../etc/passwd'";
    QTest::newRow("loopback registry") << QByteArray("POST") << "/images/pull" << QByteArray("{\"names\":[\"nginx:1\",\"127.0.0.1:5000/x:1\"]}") << 400
                                       << "names[1] '127.0.0.1:5000/x:1': registry 127.0.0.1:5000 is a loopback address";
    QTest::newRow("metadata service registry") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"169.254.169.254/latest:1\"}") << 400
                                               << "is a link-local address";
    QTest::newRow("private registry") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"10.0.0.8/x:1\"}") << 400
                                      << "blocked network 10.0.0.0/8";
    QTest::newRow("uppercase") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"NGINX\"}") << 400 << "lowercase";
    QTest::newRow("newline in name") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"nginx\\n:1\"}") << 400 << "control character";
    QTest::newRow("NUL in name") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"nginx\\u0000\"}") << 400 << "control character";
    QTest::newRow("10 kB name") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"" + QByteArray(10'000, 'a') + "\"}") << 400 << "at most 1024";
    QTest::newRow("101 names") << QByteArray("POST") << "/images/pull"
                               << QByteArray("{\"names\":[" + QByteArray("\"a\",").repeated(100) + "\"a\"]}") << 400 << "at most 100";
    QTest::newRow("body over 1 MiB") << QByteArray("POST") << "/images/pull" << QByteArray("{\"name\":\"" + QByteArray(1 << 20, 'a') + "\"}") << 413 << "larger than";
    QTest::newRow("job id traversal") << QByteArray("GET") << "/images/pull/..%2F..%2Fetc" << QByteArray() << 400 << "job_id has";
    QTest::newRow("job id uppercase") << QByteArray("GET") << "/images/pull/Image-Puller" << QByteArray() << 400 << "job_id has an uppercase letter";
    QTest::newRow("job id unicode") << QByteArray("GET") << "/images/pull/j%C3%B6b" << QByteArray() << 400 << "job_id has";
    QTest::newRow("unknown job") << QByteArray("GET") << "/images/pull/image-puller-zzzzz" << QByteArray() << 404 << "no pull with job_id 'image-puller-zzzzz'";
    QTest::newRow("retry unknown") << QByteArray("POST") << "/images/pull/image-puller-zzzzz/retry" << QByteArray() << 404 << "no pull";
    QTest::newRow("cancel bad id") << QByteArray("DELETE") << "/images/pull/a%00b" << QByteArray() << 400 << "job_id has";
    QTest::newRow("wrong method") << QByteArray("PUT") << "/images/pull-active" << QByteArray("x") << 405 << "method PUT is not allowed";
    QTest::newRow("unknown path") << QByteArray("GET") << "/images/pulls" << QByteArray() << 404 << "no such path";
}

void TestPullApiInput::hostileInput()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, error);
    const int jobsBefore = m_cluster->sim()->jobCount();
    const HttpResult r = m_http.send(method, QUrl::fromEncoded(url(path).toEncoded()), body,
                                     {{"Content-Type", "application/json"}});
    QCOMPARE(r.status, status);
    const auto e = Envelope::parse(r.body);
    QVERIFY2(e.ok, r.body.left(200).constData());
    QCOMPARE(e.code, status);
    QVERIFY2(e.error.contains(error), qPrintable(e.error.left(300)));
    QCOMPARE(m_cluster->sim()->jobCount(), jobsBefore); // nothing was created
}

QTEST_GUILESS_MAIN(TestPullApiInput)
#include "tst_pullapi_input.moc"
