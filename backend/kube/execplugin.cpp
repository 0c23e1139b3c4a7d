#include "execplugin.h"

#include "kubelog.h"
#include "core/timeformat.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTimer>

namespace pw::kube {

namespace {
constexpr qint64 kMaxOutputBytes = 1024 * 1024;
}

core::Result<ExecCredential> ExecCredential::parse(const QByteArray &json,
                                                   const QString &apiVersion) {
    using R = core::Result<ExecCredential>;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isObject())
        return R::failure(QStringLiteral("the exec plugin printed no ExecCredential JSON (%1)")
                              .arg(error.errorString()));
    const QJsonObject o = doc.object();
    if (o.value(QLatin1String("kind")).toString() != u"ExecCredential")
        return R::failure(QStringLiteral("the exec plugin printed kind \"%1\", not ExecCredential")
                              .arg(o.value(QLatin1String("kind")).toString()));
    if (o.value(QLatin1String("apiVersion")).toString() != apiVersion)
        return R::failure(
            QStringLiteral("the exec plugin answered apiVersion \"%1\", configured \"%2\"")
                .arg(o.value(QLatin1String("apiVersion")).toString(), apiVersion));
    const QJsonObject status = o.value(QLatin1String("status")).toObject();
    ExecCredential c;
    c.token = status.value(QLatin1String("token")).toString();
    c.clientCertificatePem =
        status.value(QLatin1String("clientCertificateData")).toString().toUtf8();
    c.clientKeyPem = status.value(QLatin1String("clientKeyData")).toString().toUtf8();
    const QString expiry = status.value(QLatin1String("expirationTimestamp")).toString();
    if (!expiry.isEmpty()) {
        c.expiration = core::TimeFormat::parseRfc3339(expiry);
        if (!c.expiration.isValid())
            return R::failure(
                QStringLiteral("the exec plugin's expirationTimestamp \"%1\" is not RFC 3339")
                    .arg(expiry));
    }
    if (c.token.isEmpty() && (c.clientCertificatePem.isEmpty() || c.clientKeyPem.isEmpty()))
        return R::failure(QStringLiteral(
            "the exec plugin's status has neither a token nor a client certificate and key"));
    return c;
}

ExecPlugin::ExecPlugin(KubeExecConfig exec, QUrl server, QByteArray caPem, QObject *parent)
    : QObject(parent)
    , m_exec(std::move(exec))
    , m_server(std::move(server))
    , m_caPem(std::move(caPem))
    , m_timeout(new QTimer(this)) {
    m_timeout->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this, [this] {
        fail(QStringLiteral("the exec plugin %1 did not finish in %2 ms")
                 .arg(m_exec.command)
                 .arg(m_timeoutMs));
    });
}

ExecPlugin::~ExecPlugin() {
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

QByteArray ExecPlugin::execInfo() const {
    QJsonObject spec{{QStringLiteral("interactive"), false}};
    if (m_exec.provideClusterInfo) {
        QJsonObject cluster{{QStringLiteral("server"), m_server.toString()}};
        if (!m_caPem.isEmpty())
            cluster.insert(QStringLiteral("certificate-authority-data"),
                           QString::fromLatin1(m_caPem.toBase64()));
        spec.insert(QStringLiteral("cluster"), cluster);
    }
    const QJsonObject info{{QStringLiteral("apiVersion"), m_exec.apiVersion},
                           {QStringLiteral("kind"), QStringLiteral("ExecCredential")},
                           {QStringLiteral("spec"), spec}};
    return QJsonDocument(info).toJson(QJsonDocument::Compact);
}

void ExecPlugin::run() {
    if (m_process)
        return;
    ++m_runs;
    m_process = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto &[name, value] : m_exec.env)
        env.insert(name, value);
    env.insert(QStringLiteral("KUBERNETES_EXEC_INFO"), QString::fromUtf8(execInfo()));
    m_process->setProcessEnvironment(env);
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_process, &QProcess::finished, this, &ExecPlugin::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            fail(QStringLiteral("the exec plugin %1 could not be started").arg(m_exec.command));
    });
    qCDebug(lcKube) << "running exec credential plugin" << m_exec.command;
    m_timeout->start(m_timeoutMs);
    m_process->start(m_exec.command, m_exec.args);
}

void ExecPlugin::onFinished() {
    m_timeout->stop();
    QProcess *p = m_process;
    m_process = nullptr;
    p->deleteLater();
    if (p->exitStatus() != QProcess::NormalExit || p->exitCode() != 0) {
        // stderr is the plugin's own diagnostics (kubectl shows it too); it never holds the
        // credential, which goes to stdout.
        const QString err = QString::fromUtf8(p->readAllStandardError().left(512)).trimmed();
        Q_EMIT failed(QStringLiteral("the exec plugin %1 exited with %2%3")
                          .arg(m_exec.command)
                          .arg(p->exitCode())
                          .arg(err.isEmpty() ? QString() : QStringLiteral(": ") + err));
        return;
    }
    const QByteArray out = p->readAllStandardOutput();
    if (out.size() > kMaxOutputBytes) {
        Q_EMIT failed(
            QStringLiteral("the exec plugin %1 printed more than 1 MiB").arg(m_exec.command));
        return;
    }
    auto credential = ExecCredential::parse(out, m_exec.apiVersion);
    if (!credential) {
        Q_EMIT failed(credential.error());
        return;
    }
    Q_EMIT finished(credential.value());
}

void ExecPlugin::fail(const QString &error) {
    m_timeout->stop();
    if (m_process) {
        m_process->disconnect(this);
        m_process->kill();
        m_process->deleteLater();
        m_process = nullptr;
    }
    Q_EMIT failed(error);
}

} // namespace pw::kube
