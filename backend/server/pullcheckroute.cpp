#include "pullcheckroute.h"

#include "pullrequestbody.h"

#include "core/envelope.h"
#include "core/imagereference.h"
#include "pulls/pullservice.h"
#include "http/httprequest.h"
#include "http/httpresponder.h"
#include "http/httpresponse.h"

#include <QJsonArray>
#include <QJsonObject>

namespace pw::server {

namespace PullCheckRoute {

void answer(const pulls::PullService *pulls, const http::HttpRequest &req, http::HttpResponder res)
{
    QStringList names;
    if (const auto error = PullRequestBody::parse(req.body, &names)) {
        res.send(error->toResponse());
        return;
    }
    QJsonArray results;
    for (const QString &name : names) {
        QJsonObject o{{QStringLiteral("name"), name}};
        QString wrong;
        QString source;
        if (pulls) {
            pulls::PlannedPull planned;
            wrong = pulls->planner().checkName(name, &planned);
            source = planned.source.toString();
        } else if (const auto ref = core::ImageReference::parse(name); ref.ok()) {
            source = ref->toString();
        } else {
            wrong = ref.error();
        }
        o.insert(QStringLiteral("ok"), wrong.isEmpty());
        if (wrong.isEmpty())
            o.insert(QStringLiteral("source"), source);
        else
            o.insert(QStringLiteral("error"), wrong);
        results.append(o);
    }
    res.send(http::HttpResponse::json(200, core::Envelope::success(results)));
}

} // namespace PullCheckRoute

} // namespace pw::server
