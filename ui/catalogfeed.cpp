#include "catalogfeed.h"

#include "apiclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

#include <algorithm>

namespace pw::ui {

CatalogFeed::CatalogFeed(ApiClient *client, QObject *parent)
    : QObject(parent)
    , m_client(client) {
    m_reconnect.setSingleShot(true);
    m_reconnect.setInterval(kReconnectMs);
    connect(&m_reconnect, &QTimer::timeout, this, &CatalogFeed::open);
    // A large namespace arrives as a snapshot and then thousands of upserts: the list is
    // rebuilt once per burst, not once per message.
    m_emit.setSingleShot(true);
    m_emit.setInterval(kCoalesceMs);
    connect(&m_emit, &QTimer::timeout, this, &CatalogFeed::emitPods);
    connect(&m_socket, &QWebSocket::textMessageReceived, this, &CatalogFeed::onMessage);
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        // 1008: refused (a bad namespace, an old server without the catalogue): not retried.
        if (!m_ns.isEmpty() && m_socket.closeCode() != QWebSocketProtocol::CloseCodePolicyViolated)
            m_reconnect.start();
    });
}

// The socket is destroyed after the timer (members go in reverse order) and says
// disconnected() as it goes: without this, that would start the destroyed timer, which then
// fires into freed memory.
CatalogFeed::~CatalogFeed() {
    m_socket.disconnect(this);
}

void CatalogFeed::watch(const QString &ns) {
    if (ns == m_ns && m_socket.state() != QAbstractSocket::UnconnectedState)
        return;
    m_ns = ns;
    m_pods.clear();
    m_emit.stop();
    m_reconnect.stop();
    if (m_socket.state() != QAbstractSocket::UnconnectedState)
        m_socket.abort(); // its disconnected() starts the reconnect timer: the new one opens
    open();
}

void CatalogFeed::open() {
    if (m_ns.isEmpty() || m_socket.state() != QAbstractSocket::UnconnectedState)
        return;
    m_reconnect.stop();
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("namespace"), m_ns);
    m_client->openWebSocket(m_socket, QStringLiteral("/ws/catalog"), q);
}

void CatalogFeed::onMessage(const QString &text) {
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = o.value(QStringLiteral("type")).toString();
    if (o.value(QStringLiteral("namespace")).toString() != m_ns)
        return;
    if (type == QStringLiteral("catalog")) {
        m_pods.clear();
        for (const QJsonValue &p : o.value(QStringLiteral("pods")).toArray())
            m_pods.insert(p[QStringLiteral("name")].toString(), p.toObject());
    } else if (type == QStringLiteral("pod")) {
        const QJsonObject pod = o.value(QStringLiteral("pod")).toObject();
        const QString name = pod.value(QStringLiteral("name")).toString();
        if (o.value(QStringLiteral("action")).toString() == QStringLiteral("delete"))
            m_pods.remove(name);
        else
            m_pods.insert(name, pod);
    } else {
        return; // jobs and namespaces: the window lists Jobs from their pods
    }
    if (!m_emit.isActive())
        m_emit.start();
}

void CatalogFeed::emitPods() {
    QList<PodInfo> pods;
    pods.reserve(m_pods.size());
    for (const QJsonObject &p : std::as_const(m_pods))
        pods.append(PodInfo::fromJson(p));
    std::sort(pods.begin(), pods.end(),
              [](const PodInfo &a, const PodInfo &b) { return a.name < b.name; });
    Q_EMIT podsChanged(m_ns, pods);
}

} // namespace pw::ui
