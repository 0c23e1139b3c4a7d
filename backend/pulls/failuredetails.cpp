#include "failuredetails.h"

#include "pullmanifest.h"

#include "core/dnsname.h"
#include "core/timeformat.h"
#include "kube/kubecall.h"
#include "kube/kubeclient.h"
#include "kube/kubeevent.h"

#include <QJsonArray>
#include <QPointer>

#include <algorithm>
#include <memory>

namespace {

struct Collection
{
    PullJob job;
    int pending = 0;
    std::function<void(const PullJob &)> done;
    void finishOne()
    {
        if (--pending == 0)
            done(job);
    }
};

PullEvent toEvent(const KubeEvent &e)
{
    PullEvent event;
    event.type = e.type();
    event.reason = e.reason();
    event.message = e.message();
    event.count = e.count();
    event.time = TimeFormat::parseRfc3339(e.time());
    return event;
}

void fetchEvents(KubeClient *client, const QString &ns, const QString &name, const QString &kind,
                 std::shared_ptr<Collection> c)
{
    ++c->pending;
    KubeCall *call = client->listEvents(ns, name, kind);
    QObject::connect(call, &KubeCall::finished, [c](KubeCall *call) {
        if (call->ok()) {
            const QJsonArray items = call->object().value(QStringLiteral("items")).toArray();
            for (const QJsonValue &v : items)
                c->job.events.append(toEvent(KubeEvent(v.toObject())));
            std::sort(c->job.events.begin(), c->job.events.end(),
                      [](const PullEvent &a, const PullEvent &b) { return a.time < b.time; });
        }
        c->finishOne();
    });
}

void fetchLog(KubeClient *client, const QString &ns, const QString &pod, const QString &container,
              int tailLines, QString PullJob::*field, std::shared_ptr<Collection> c)
{
    ++c->pending;
    KubeQuery query;
    query.add(QStringLiteral("container"), container);
    query.add(QStringLiteral("tailLines"), QString::number(tailLines));
    QString error;
    const QString path = KubeClient::podsPath(ns, &error) + u'/' + pod + QStringLiteral("/log");
    KubeCall *call = client->send("GET", path, query);
    QObject::connect(call, &KubeCall::finished, [c, field](KubeCall *call) {
        if (call->ok())
            c->job.*field = QString::fromUtf8(call->body().right(64 * 1024));
        c->finishOne();
    });
}

} // namespace

namespace FailureDetails {

void collect(KubeClient *client, const PullJob &job, int tailLines, QObject *context,
             std::function<void(const PullJob &)> done)
{
    auto c = std::make_shared<Collection>();
    c->job = job;
    c->job.events.clear();
    QPointer<QObject> guard(context);
    c->done = [guard, done](const PullJob &filled) {
        if (guard)
            done(filled);
    };
    ++c->pending; // held until every request is sent
    fetchEvents(client, job.namespaceName, job.id, QStringLiteral("Job"), c);
    if (DnsName::isSubdomain(job.podName)) {
        fetchEvents(client, job.namespaceName, job.podName, QStringLiteral("Pod"), c);
        fetchLog(client, job.namespaceName, job.podName, PullManifest::kSourceContainer, tailLines,
                 &PullJob::sourceLogTail, c);
        fetchLog(client, job.namespaceName, job.podName, PullManifest::kPushContainer, tailLines,
                 &PullJob::pushLogTail, c);
    }
    c->finishOne();
}

} // namespace FailureDetails
