#include "logfanouts.h"

#include "logfanout.h"

namespace pw::logs {

LogFanouts::LogFanouts(kube::KubeClient *client, const LogConfig &config, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_config(config)
{
}

LogFanout *LogFanouts::join(LogViewer *viewer, const QString &ns, const QString &pod,
                                const QString &container, const LogFanoutOptions &options)
{
    const QString key = LogFanout::key(ns, pod, container, options.previous);
    if (LogFanout *stream = m_streams.value(key)) {
        stream->addViewer(viewer);
        return stream;
    }
    auto *stream = new LogFanout(m_client, ns, pod, container, options, m_config, this);
    m_streams.insert(key, stream);
    ++m_started;
    // An ended stream stays with its viewers (they may still read its ring) but no longer
    // takes new ones: a new viewer gets a fresh upstream.
    connect(stream, &LogFanout::ended, this, [this, stream, key] {
        if (m_streams.value(key) == stream)
            m_streams.remove(key);
    });
    stream->addViewer(viewer);
    // Started on the next pass, so the viewer has the stream before any state arrives.
    QMetaObject::invokeMethod(stream, &LogFanout::start, Qt::QueuedConnection);
    return stream;
}

void LogFanouts::leave(LogViewer *viewer, LogFanout *stream)
{
    if (!stream || stream->removeViewer(viewer) > 0)
        return;
    const QString key = stream->key();
    if (m_streams.value(key) == stream)
        m_streams.remove(key);
    stream->deleteLater();
}

} // namespace pw::logs
