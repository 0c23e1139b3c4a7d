#include "podlogstream.h"

#include "kubeclient.h"
#include "kubecredentials.h"
#include "kubelog.h"
#include "core/dnsname.h"

#include <QNetworkReply>
#include <QTimer>

namespace {
constexpr qint64 kReadBufferBytes = 4 * 1024 * 1024;
}

PodLogStream::PodLogStream(KubeClient *client, PodLogOptions options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_options(std::move(options))
    , m_lines(m_options.maxLineBytes + 64)
    , m_retry(new QTimer(this)) {
    m_retry->setSingleShot(true);
    connect(m_retry, &QTimer::timeout, this, &PodLogStream::connectStream);
    m_backoff.setLimits(m_options.retryInitialMs, m_options.retryMaxMs);
    if (m_options.namespaceName.isEmpty() && client)
        m_options.namespaceName = client->defaultNamespace();
}

PodLogStream::~PodLogStream() {
    dropReply();
}

void PodLogStream::start() {
    QString error = DnsName::labelError(m_options.namespaceName, u"namespace");
    if (error.isEmpty())
        error = DnsName::subdomainError(m_options.pod, u"pod");
    if (error.isEmpty() && !m_options.container.isEmpty())
        error = DnsName::labelError(m_options.container, u"container");
    if (!error.isEmpty()) {
        end(EndReason::Error, error);
        return;
    }
    setState(State::Connecting);
    connectStream();
}

void PodLogStream::stop() {
    if (m_state != State::Ended)
        end(EndReason::Stopped, QStringLiteral("stopped"));
}

void PodLogStream::setState(State state, const QString &detail) {
    if (state == m_state && detail == m_detail)
        return;
    m_state = state;
    m_detail = detail;
    Q_EMIT stateChanged(state, detail);
}

void PodLogStream::end(EndReason reason, const QString &detail) {
    ++m_generation;
    m_retry->stop();
    dropReply();
    m_endReason = reason;
    qCDebug(lcKube).noquote() << "log of" << m_options.pod << m_options.container
                              << "ended:" << detail;
    setState(State::Ended, detail);
}

void PodLogStream::dropReply() {
    if (!m_reply)
        return;
    m_reply->disconnect(this);
    m_reply->abort();
    m_reply->deleteLater();
    m_reply = nullptr;
}

void PodLogStream::retryLater(const QString &why) {
    if (m_state == State::Ended)
        return;
    setState(State::Reconnecting, why);
    m_retry->start(m_backoff.nextDelayMs());
}

QUrl PodLogStream::nextUrl() const {
    KubeQuery q;
    q.addIf(m_options.follow, QStringLiteral("follow"), QStringLiteral("true"))
        .add(QStringLiteral("timestamps"), QStringLiteral("true"))
        .addIf(!m_options.container.isEmpty(), QStringLiteral("container"), m_options.container)
        .addIf(m_options.previous, QStringLiteral("previous"), QStringLiteral("true"));
    if (m_last.valid) // resuming: everything from the last delivered second on
        q.add(QStringLiteral("sinceTime"), m_last.secondsString());
    else if (!m_options.sinceTime.isEmpty())
        q.add(QStringLiteral("sinceTime"), m_options.sinceTime);
    if (!m_last.valid && m_delivered == 0 && m_options.tailLines >= 0)
        q.add(QStringLiteral("tailLines"), QString::number(m_options.tailLines));
    const QString path = QStringLiteral("/api/v1/namespaces/%1/pods/%2/log")
                             .arg(m_options.namespaceName, m_options.pod);
    return m_client ? m_client->url(path, q) : QUrl();
}

void PodLogStream::connectStream() {
    if (!m_client || m_state == State::Ended)
        return;
    ++m_connections;
    if (m_last.valid) {
        m_resuming = true;
        m_resumeAt = m_last;
        m_resumeSkip = m_countAtLast;
        m_seenAtResume = 0;
    }
    m_lines.reset();
    m_gotData = false;
    m_deliveredAtConnect = m_delivered;
    const quint64 generation = m_generation;
    m_client->openStream(nextUrl(), this,
                         [this, generation](QNetworkReply *reply, const QString &error) {
                             if (generation != m_generation) {
                                 if (reply)
                                     reply->deleteLater();
                                 return;
                             }
                             onOpened(reply, error);
                         });
}

void PodLogStream::onOpened(QNetworkReply *reply, const QString &error) {
    if (!reply) {
        retryLater(error);
        return;
    }
    m_reply = reply;
    reply->setReadBufferSize(kReadBufferBytes); // backpressure: a flood waits in the socket
    connect(reply, &QNetworkReply::readyRead, this, &PodLogStream::onData);
    connect(reply, &QNetworkReply::finished, this, &PodLogStream::onFinished);
}
