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

namespace PullCheckRoute {

void answer(const PullService *pulls, const HttpRequest &req, HttpResponder res)
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
            PlannedPull planned;
            wrong = pulls->planner().checkName(name, &planned);
            source = planned.source.toString();
        } else if (const auto ref = ImageReference::parse(name); ref.ok()) {
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
    res.send(HttpResponse::json(200, Envelope::success(results)));
}

} // namespace PullCheckRoute
