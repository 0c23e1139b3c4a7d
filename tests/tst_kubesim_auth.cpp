// kubesim authentication: bearer tokens (401, 403, rotation), TLS with the generated CA, client
// certificates issued by kubesim or by an outside CA (--client-ca).
#include "kubesimtestsupport.h"

#include <kubesim/kubesim.h>

#include <QEventLoop>
#include <QSslKey>
#include <QtTest>

using namespace pw::kubesim;

using namespace KubeSimTest;

class TestKubeSimAuth : public QObject {
    Q_OBJECT

private:
    HttpClient m_http;

private Q_SLOTS:
    void tokenAuth() {
        KubeSimConfig config;
        config.token = QStringLiteral("s3cret");
        KubeSim sim(config);
        QString error;
        QVERIFY(sim.start(&error));
        const QUrl jobs(sim.url().toString() +
                        QStringLiteral("/apis/batch/v1/namespaces/default/jobs"));
        HttpResult r = m_http.get(jobs);
        QCOMPARE(r.status, 401);
        QCOMPARE(json(r.body).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("Unauthorized"));
        QCOMPARE(json(r.body).value(QStringLiteral("message")).toString(),
                 QStringLiteral("Unauthorized"));
        QCOMPARE(m_http.get(jobs, {{"Authorization", "Bearer wrong"}}).status, 401);
        QCOMPARE(m_http.get(jobs, {{"Authorization", "Bearer s3cret"}}).status, 200);
        r = m_http.get(jobs, {{"Authorization", "Bearer kubesim-forbidden"}});
        QCOMPARE(r.status, 403);
        QCOMPARE(json(r.body).value(QStringLiteral("reason")).toString(),
                 QStringLiteral("Forbidden"));
        QCOMPARE(json(r.body).value(QStringLiteral("message")).toString(),
                 QStringLiteral(
                     "jobs.batch is forbidden: User "
                     "\"system:serviceaccount:default:kubesim-forbidden\" cannot list resource "
                     "\"jobs\" in API group \"batch\" in the namespace \"default\""));
        // Discovery stays open to any authenticated user, as system:discovery grants.
        QCOMPARE(m_http
                     .get(QUrl(sim.url().toString() + QStringLiteral("/api")),
                          {{"Authorization", "Bearer kubesim-forbidden"}})
                     .status,
                 200);
        QVERIFY(sim.kubeconfig().contains("token: s3cret"));
        // A rotated credential: the old token is refused from now on.
        const quint64 refused = sim.unauthorizedCount();
        sim.setToken(QStringLiteral("rotated"));
        QCOMPARE(m_http.get(jobs, {{"Authorization", "Bearer s3cret"}}).status, 401);
        QCOMPARE(m_http.get(jobs, {{"Authorization", "Bearer rotated"}}).status, 200);
        QCOMPARE(sim.unauthorizedCount(), refused + 1);
        QCOMPARE(sim.requestCount(), quint64(7));
    }

    void tlsWithTokenAndClientCertificate() {
        KubeSimConfig config;
        config.tls = true;
        config.token = QStringLiteral("tok");
        config.issueClientCertificate = true;
        KubeSim sim(config);
        QString error;
        QVERIFY2(sim.start(&error), qPrintable(error));
        QCOMPARE(sim.url().scheme(), QStringLiteral("https"));
        const QByteArray kubeconfig = sim.kubeconfig();
        QVERIFY(kubeconfig.contains("certificate-authority-data: " +
                                    sim.caCertificatePem().toBase64()));
        QVERIFY(kubeconfig.contains("client-certificate-data: "));
        QTemporaryDir dir;
        QVERIFY(sim.writeKubeconfig(dir.filePath(QStringLiteral("config")), &error));
        QCOMPARE(QFileInfo(dir.filePath(QStringLiteral("config"))).permissions() &
                     (QFileDevice::ReadOther | QFileDevice::ReadGroup),
                 QFileDevice::Permissions());

        auto request = [&](const QByteArray &token, bool withCertificate) {
            QNetworkRequest rq(
                QUrl(sim.url().toString() + QStringLiteral("/api/v1/namespaces/default/pods")));
            QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
            ssl.setCaCertificates(QSslCertificate::fromData(sim.caCertificatePem()));
            if (withCertificate) {
                ssl.setLocalCertificate(QSslCertificate(sim.clientCertificatePem()));
                ssl.setPrivateKey(QSslKey(sim.clientKeyPem(), QSsl::Ec));
            }
            rq.setSslConfiguration(ssl);
            if (!token.isEmpty())
                rq.setRawHeader("Authorization", "Bearer " + token);
            QNetworkAccessManager nam;
            QNetworkReply *reply = nam.get(rq);
            QEventLoop loop;
            connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 0)
                qWarning() << reply->errorString();
            delete reply;
            return status;
        };
        QCOMPARE(request("tok", false), 200);
        QCOMPARE(request({}, false), 401);
        QCOMPARE(request("nope", false), 401);
        QCOMPARE(request({}, true), 200);
    }

    void clientCaFile() {
        // An outside CA (RSA, as many clusters use) and a client certificate it signed.
        QTemporaryDir dir;
        auto openssl = [&](const QStringList &args) {
            QProcess p;
            p.setWorkingDirectory(dir.path());
            p.start(QStringLiteral("openssl"), args);
            return p.waitForFinished(20000) && p.exitCode() == 0;
        };
        if (!openssl({QStringLiteral("version")}))
            QFAIL("openssl is not installed: install the Debian package openssl "
                  "(scripts/install-deps.sh)");
        QVERIFY(openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
                         "-out", "ca.crt", "-days", "1", "-subj", "/CN=outside-ca", "-addext",
                         "basicConstraints=critical,CA:TRUE", "-addext",
                         "keyUsage=critical,keyCertSign"}));
        QVERIFY(openssl({"req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "me.key",
                         "-out", "me.csr", "-subj", "/O=system:masters/CN=me"}));
        QFile ext(dir.filePath(QStringLiteral("me.ext")));
        QVERIFY(ext.open(QIODevice::WriteOnly));
        ext.write("extendedKeyUsage=clientAuth\n");
        ext.close();
        QVERIFY(openssl({"x509", "-req", "-in", "me.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                         "-CAcreateserial", "-days", "1", "-out", "me.crt", "-extfile", "me.ext"}));
        QVERIFY(openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key",
                         "-out", "other.crt", "-days", "1", "-subj", "/CN=stranger"}));
        KubeSimConfig config;
        config.tls = true;
        config.clientCaFile = dir.filePath(QStringLiteral("ca.crt"));
        KubeSim sim(config);
        QString error;
        QVERIFY2(sim.start(&error), qPrintable(error));
        auto request = [&](const QString &cert, const QString &key) {
            QNetworkRequest rq(QUrl(sim.url().toString() +
                                    QStringLiteral("/apis/batch/v1/namespaces/default/jobs")));
            QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
            ssl.setCaCertificates(QSslCertificate::fromData(sim.caCertificatePem()));
            if (!cert.isEmpty()) {
                ssl.setLocalCertificate(QSslCertificate::fromPath(dir.filePath(cert)).value(0));
                QFile k(dir.filePath(key));
                k.open(QIODevice::ReadOnly);
                ssl.setPrivateKey(QSslKey(k.readAll(), QSsl::Rsa));
            }
            rq.setSslConfiguration(ssl);
            QNetworkAccessManager nam;
            QNetworkReply *reply = nam.get(rq);
            QEventLoop loop;
            connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            loop.exec();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            delete reply;
            return status;
        };
        QCOMPARE(request(QStringLiteral("me.crt"), QStringLiteral("me.key")), 200);
        QCOMPARE(request(QStringLiteral("other.crt"), QStringLiteral("other.key")), 401);
        QCOMPARE(request({}, {}), 401);
    }
};

QTEST_GUILESS_MAIN(TestKubeSimAuth)
#include "tst_kubesim_auth.moc"
