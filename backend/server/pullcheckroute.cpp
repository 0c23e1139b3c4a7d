#include "pullcheckroute.h"

#include "pullrequestbody.h"

#include "core/envelope.h"
#include "core/imagereference.h"
#include "http/httprequest.h"
#include "http/httpresponder.h"
#include "http/httpresponse.h"
#include "http/httprouter.h"

#include <QJsonArray>
#include <QJsonObject>

namespace PullCheckRoute {

void add(HttpRouter &router) {
    router.add("POST", QStringLiteral("/images/pull-check"),
               [](const HttpRequest &req, HttpResponder res) {
                   QStringList names;
                   if (const auto error = PullRequestBody::parse(req.body, &names)) {
                       res.send(error->toResponse());
                       return;
                   }
                   QJsonArray results;
                   for (const QString &name : names) {
                       QJsonObject o{{QStringLiteral("name"), name}};
                       const auto ref = ImageReference::parse(name);
                       o.insert(QStringLiteral("ok"), ref.ok());
                       if (ref.ok())
                           o.insert(QStringLiteral("source"), ref->toString());
                       else
                           o.insert(QStringLiteral("error"), ref.error());
                       results.append(o);
                   }
                   res.send(HttpResponse::json(200, Envelope::success(results)));
               });
}

} // namespace PullCheckRoute
