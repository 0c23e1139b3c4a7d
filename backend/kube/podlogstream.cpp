#include "podlogstream.h"

#include "core/dnsname.h"
#include "kubeclient.h"
#include "kubecredentials.h"
#include "kubeerror.h"
#include "kubelog.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkReply>
#include <QTimer>

namespace pw::kube {

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
    QString error = core::DnsName::labelError(m_options.namespaceName, u"namespace");
    if (error.isEmpty())
        error = core::DnsName::subdomainError(m_options.pod, u"pod");
    if (error.isEmpty() && !m_options.container.isEmpty())
        error = core::DnsName::labelError(m_options.container, u"container");
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

// Reading: lines, de-duplication after a resume, and what the end of a stream means.

bool PodLogStream::accept(const KubeTimestamp &ts) {
    if (!ts.valid)
        return true; // nothing to compare; should not happen with timestamps=true
    if (m_resuming) {
        if (ts < m_resumeAt)
            return false;
        if (ts == m_resumeAt && ++m_seenAtResume <= m_resumeSkip)
            return false;
        if (m_resumeAt < ts)
            m_resuming = false;
    }
    if (m_last.valid && ts == m_last) {
        ++m_countAtLast;
    } else {
        m_last = ts;
        m_countAtLast = 1;
    }
    return true;
}

void PodLogStream::onData() {
    if (!m_reply || m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return; // an error answer is read whole in onFinished
    if (!m_gotData) {
        m_gotData = true;
        m_client->noteOutcome(200, {});
        setState(State::Streaming);
    }
    const QByteArray data = m_reply->readAll();
    QList<KubeLogLine> batch;
    batch.reserve(data.size() / 64 + 1);
    // Each line is copied once, straight from the read buffer: one allocation per line.
    m_lines.each(data, [this, &batch](QByteArrayView line, bool truncated) {
        const qsizetype space = line.indexOf(' ');
        const QByteArrayView stamp = space > 0 ? line.first(space) : QByteArrayView();
        const KubeTimestamp ts = KubeTimestamp::parse(stamp);
        if (!accept(ts))
            return;
        KubeLogLine out;
        out.textStart = ts.valid ? space + 1 : 0;
        out.truncated = truncated;
        if (truncated) {
            out.raw.reserve(line.size() + qsizetype(sizeof(kTruncatedMarker) - 1));
            out.raw.append(line);
            out.raw.append(kTruncatedMarker);
        } else {
            out.raw = line.toByteArray();
        }
        batch.append(std::move(out));
    });
    if (batch.isEmpty())
        return;
    m_delivered += quint64(batch.size());
    m_backoff.reset(); // progress
    Q_EMIT linesReceived(batch);
}

void PodLogStream::onFinished() {
    onData(); // what arrived with the end
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200) {
        m_client->noteOutcome(status, status ? QString() : reply->errorString());
        if (status == 0)
            retryLater(reply->errorString());
        else
            handleErrorStatus(status, reply->readAll().left(64 * 1024));
        return;
    }
    if (!m_options.follow) {
        end(EndReason::ContainerTerminated, QStringLiteral("the log was read to its end"));
        return;
    }
    // Only new lines count as progress: a resume that re-sent just what was delivered
    // before must not turn into a tight reconnect loop.
    onStreamEnded(m_delivered > m_deliveredAtConnect);
}

void PodLogStream::handleErrorStatus(int status, const QByteArray &body) {
    const KubeError e = KubeError::fromResponse(status, body);
    if (status == 404) {
        end(EndReason::PodDeleted, e.message);
    } else if (status == 401 && m_client->credentials()->invalidate()) {
        retryLater(e.message);
    } else if (status == 400 && (e.message.contains(QLatin1String("waiting to start")) ||
                                 e.message.contains(QLatin1String("ContainerCreating")) ||
                                 e.message.contains(QLatin1String("PodInitializing")))) {
        retryLater(e.message); // the container has not started yet
    } else if (status == 429 || status >= 500) {
        retryLater(e.toString());
    } else {
        end(EndReason::Error, e.toString());
    }
}

void PodLogStream::onStreamEnded(bool progressed) {
    // A follow ends when the container stops, when the pod goes, or when the connection
    // was dropped. Only the pod can tell which; until it has, nothing is said to viewers: a
    // container that ends normally is not a reconnect.
    KubeCall *call = m_client->getPod(m_options.namespaceName, m_options.pod);
    const quint64 generation = m_generation;
    connect(call, &KubeCall::finished, this, [this, generation, progressed](KubeCall *c) {
        if (generation == m_generation)
            onPodChecked(c, progressed);
    });
}

void PodLogStream::onPodChecked(KubeCall *call, bool progressed) {
    if (call->error().isNotFound()) {
        end(EndReason::PodDeleted, QStringLiteral("pod %1 was deleted").arg(m_options.pod));
        return;
    }
    if (!call->ok()) {
        retryLater(call->error().toString());
        return;
    }
    const QJsonObject pod = call->object();
    QString container = m_options.container;
    if (container.isEmpty())
        container =
            pod[QLatin1String("spec")][QLatin1String("containers")][0][QLatin1String("name")]
                .toString();
    const QJsonObject status = pod.value(QLatin1String("status")).toObject();
    bool terminated = false;
    for (const char *list : {"initContainerStatuses", "containerStatuses"}) {
        for (const QJsonValue &v : status.value(QLatin1String(list)).toArray()) {
            if (v[QLatin1String("name")].toString() != container)
                continue;
            const QJsonObject state =
                v[QLatin1String("state")][QLatin1String("terminated")].toObject();
            terminated = terminated || !state.isEmpty();
            // A terminated container's log is complete only when a stream ends without
            // anything new: the last one may have been dropped before the end of the log.
            if (!state.isEmpty() && !progressed) {
                end(EndReason::ContainerTerminated,
                    QStringLiteral("container %1 terminated (%2, exit code %3)")
                        .arg(container, state.value(QLatin1String("reason")).toString())
                        .arg(state.value(QLatin1String("exitCode")).toInt()));
                return;
            }
        }
    }
    if (progressed) {
        // A running container's stream was cut: resume at once, and say so. A terminated
        // one is read once more, quietly, to confirm its log is complete.
        if (!terminated)
            setState(State::Reconnecting, QStringLiteral("the log stream was cut; resuming"));
        m_backoff.reset();
        connectStream();
    } else {
        retryLater(QStringLiteral("the log stream ended without new lines"));
    }
}

} // namespace pw::kube
