// KubeSim, authentication and authorization: the gate in front of every route.
#include "kubesim.h"

#include "kubejson.h"
#include "kubesimlog.h"

#include <http/httprequest.h>
#include <http/httpresponder.h>
#include <http/httpresponse.h>

namespace {

// What a request does to what, for the Forbidden message (as the RBAC authorizer words it).
QString forbiddenMessage(const HttpRequest &request) {
    const QStringList parts = request.path().split(u'/', Qt::SkipEmptyParts);
    int i = parts.value(0) == QStringLiteral("api") ? 2 : 3; // past api/v1 or apis/group/v1
    const QString group = parts.value(0) == QStringLiteral("apis") ? parts.value(1) : QString();
    QString ns;
    if (parts.value(i) == QStringLiteral("namespaces") && parts.size() > i + 2) {
        ns = parts.value(i + 1);
        i += 2;
    }
    const QString resource = parts.value(i);
    const bool named = parts.size() > i + 1;
    QString verb;
    if (request.method == "GET")
        verb = named ? QStringLiteral("get")
                     : (request.queryValue(u"watch") == QStringLiteral("true") ||
                                request.queryValue(u"watch") == QStringLiteral("1")
                            ? QStringLiteral("watch")
                            : QStringLiteral("list"));
    else if (request.method == "POST")
        verb = QStringLiteral("create");
    else if (request.method == "DELETE")
        verb = QStringLiteral("delete");
    else
        verb = QString::fromLatin1(request.method).toLower();
    QString message =
        QStringLiteral("%1 is forbidden: User \"system:serviceaccount:default:kubesim-forbidden\" "
                       "cannot %2 resource \"%3\" in API group \"%4\"")
            .arg(KubeJson::qualified(
                     resource + (parts.size() > i + 2 ? u'/' + parts.value(i + 2) : QString()),
                     group),
                 verb, resource, group);
    if (!ns.isEmpty())
        message += QStringLiteral(" in the namespace \"%1\"").arg(ns);
    return message;
}

bool isDiscovery(const QString &path) {
    static const QStringList exact = {
        QStringLiteral("/api"),        QStringLiteral("/api/v1"),        QStringLiteral("/apis"),
        QStringLiteral("/apis/batch"), QStringLiteral("/apis/batch/v1"), QStringLiteral("/version"),
        QStringLiteral("/healthz"),    QStringLiteral("/livez"),         QStringLiteral("/readyz")};
    return exact.contains(path) || path.startsWith(QStringLiteral("/openapi/"));
}

} // namespace

bool KubeSim::authorize(const HttpRequest &request, HttpResponder &responder) const {
    const bool needsAuth = !m_config.token.isEmpty() || !m_clientCas.isEmpty();
    if (!needsAuth)
        return true;
    const QByteArray authorization = request.header("authorization");
    const QByteArray bearer =
        authorization.startsWith("Bearer ") ? authorization.mid(7).trimmed() : QByteArray();
    // The token comparison need not be constant-time here: a test server on loopback.
    const bool tokenOk =
        !m_config.token.isEmpty() && !bearer.isEmpty() && bearer == m_config.token.toUtf8();
    const bool certOk = request.clientCertificateVerified && !m_clientCas.isEmpty();
    const bool forbidden = !m_config.forbiddenToken.isEmpty() && !bearer.isEmpty() &&
                           bearer == m_config.forbiddenToken.toUtf8();
    if (tokenOk || certOk)
        return true;
    if (forbidden) {
        // Authenticated, but RBAC allows it nothing beyond discovery (system:discovery).
        if (isDiscovery(request.path()))
            return true;
        responder.send(HttpResponse::json(
            403, KubeJson::status(403, QStringLiteral("Forbidden"), forbiddenMessage(request))));
        return false;
    }
    qCDebug(lcKubeSim) << "unauthorized request" << request.method << request.path();
    responder.send(HttpResponse::json(401, KubeJson::status(401, QStringLiteral("Unauthorized"),
                                                            QStringLiteral("Unauthorized"))));
    return false;
}
