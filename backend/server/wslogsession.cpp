#include "wslogsession.h"

#include "wsconnection.h"
#include "wsjson.h"
#include "wslogend.h"
#include "wslogsource.h"

#include "core/logframe.h"
#include "logs/joblogfollower.h"

namespace pw::server {

WsLogSession::WsLogSession(WsConnection *connection, logs::LogQuery query,
                           logs::LogFanouts *streams,
                           logs::PodCatalog *catalog, const WsConfig &config, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_query(std::move(query))
    , m_streams(streams)
    , m_catalog(catalog)
    , m_config(config)
{
    m_connection->setParent(this);
    connect(m_connection, &WsConnection::closed, this, &QObject::deleteLater);
    connect(m_connection, &WsConnection::drained, this, [this] {
        if (m_source)
            m_source->catchUp();
    });
    connect(m_connection, &WsConnection::messageReceived, this, [this] {
        m_connection->reject(QStringLiteral("this endpoint takes no messages"));
    });
}

WsLogSession::~WsLogSession()
{
    detach(); // leaves the shared stream before the follower releases the catalogue
    delete m_follower;
}

void WsLogSession::start()
{
    m_query.fixSince(QDateTime::currentDateTimeUtc());
    m_follower = new logs::JobLogFollower(m_catalog, m_query, m_config, this);
    connect(m_follower, &logs::JobLogFollower::waiting, this, [this](const QString &detail) {
        sendState(QStringLiteral("waiting"), detail);
    });
    connect(m_follower, &logs::JobLogFollower::containerStarted, this, &WsLogSession::attach);
    connect(m_follower, &logs::JobLogFollower::finished, this, &WsLogSession::finish);
    connect(m_follower, &logs::JobLogFollower::failed, this, &WsLogSession::fail);
    m_follower->start();
}

void WsLogSession::attach(const QString &pod, const QString &container)
{
    m_source = new WsLogSource(m_connection, m_streams, m_query.namespaceName, pod, container,
                               WsLogSource::Naming::None, this);
    connect(m_source, &WsLogSource::stateChanged, this,
            [this](WsLogSource *, const QString &state, const QString &detail) {
                sendState(state, detail);
            });
    connect(m_source, &WsLogSource::done, this, &WsLogSession::onSourceDone);
    const bool resuming = m_firstAttach && m_query.resume >= 0;
    m_source->start(m_query.streamOptions(m_firstAttach), m_query.timestamps,
                    resuming ? m_query.stream : QString(), resuming ? m_query.resume : -1);
    m_firstAttach = false;
    sendState(m_source->streamState(), m_source->streamDetail());
    m_source->catchUp();
}

void WsLogSession::onSourceDone()
{
    const QString detail = m_source->endDetail();
    const bool podGone = m_source->podGone();
    detach();
    m_follower->containerDone(detail, podGone);
}

void WsLogSession::detach()
{
    if (!m_source)
        return;
    m_source->stop();
    m_source->disconnect(this);
    m_source->deleteLater(); // it may be the one emitting
    m_source = nullptr;
}

void WsLogSession::sendState(const QString &state, const QString &detail)
{
    if (m_connection->isV1())
        return; // only log and error messages in v1 (docs/api.md)
    const QString streamId = m_source ? m_source->streamId() : QString();
    if (state == m_lastState && detail == m_lastDetail && streamId == m_lastStreamId)
        return;
    m_lastState = state;
    m_lastDetail = detail;
    m_lastStreamId = streamId;
    // The stream id (docs/api.md): the seq numbers of the frames that follow belong to it.
    core::LogFrameWriter::StreamContext context{m_query.namespaceName, {}, {}, streamId};
    if (m_follower)
        context.pod = m_follower->podName();
    if (m_source)
        context.container = m_source->container();
    else if (m_follower)
        context.container = m_follower->container();
    m_connection->send(core::LogFrameWriter::stream(state, detail, context));
}

void WsLogSession::finish(const QString &detail)
{
    m_lastState.clear();
    sendState(QStringLiteral("ended"), detail);
    WsLogEnd::close(m_connection, detail);
    detach();
}

void WsLogSession::fail(const QString &error)
{
    WsLogEnd::fail(m_connection, error);
    detach();
}

} // namespace pw::server
