#include "wslogstreams.h"

#include "wslogstream.h"

WsLogStreams::WsLogStreams(KubeClient *client, const WsConfig &config, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_config(config)
    , m_turns(config.turnBudgetBytes)
{
}

WsLogStream *WsLogStreams::join(WsLogViewer *viewer, const QString &ns, const QString &pod,
                                const QString &container, const WsLogStreamOptions &options)
{
    const QString key = WsLogStream::key(ns, pod, container, options.previous);
    if (WsLogStream *stream = m_streams.value(key)) {
        stream->addViewer(viewer);
        return stream;
    }
    auto *stream = new WsLogStream(m_client, ns, pod, container, options, m_config, this);
    stream->setTurns(&m_turns);
    m_streams.insert(key, stream);
    ++m_started;
    // An ended stream stays with its viewers (they may still read its ring) but no longer
    // takes new ones: a new viewer gets a fresh upstream.
    connect(stream, &WsLogStream::ended, this, [this, stream, key] {
        if (m_streams.value(key) == stream)
            m_streams.remove(key);
    });
    stream->addViewer(viewer);
    // Started on the next pass, so the viewer has the stream before any state arrives.
    QMetaObject::invokeMethod(stream, &WsLogStream::start, Qt::QueuedConnection);
    return stream;
}

void WsLogStreams::leave(WsLogViewer *viewer, WsLogStream *stream)
{
    if (!stream || stream->removeViewer(viewer) > 0)
        return;
    const QString key = stream->key();
    if (m_streams.value(key) == stream)
        m_streams.remove(key);
    stream->deleteLater();
}
