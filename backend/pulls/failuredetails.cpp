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

namespace pw::pulls {

namespace {

struct Collection
{
    core::PullJob job;
    int pending = 0;
    std::function<void(const core::PullJob &)> done;
    void finishOne()
    {
        if (--pending == 0)
            done(job);
    }
};

core::PullEvent toEvent(const kube::KubeEvent &e)
{
    core::PullEvent event;
    event.type = e.type();
    event.reason = e.reason();
    event.message = e.message();
    event.count = e.count();
    event.time = core::TimeFormat::parseRfc3339(e.time());
    return event;
}

void fetchEvents(kube::KubeClient *client, const QString &ns, const QString &name,
                 const QString &kind,
                 std::shared_ptr<Collection> c)
{
    ++c->pending;
    kube::KubeCall *call = client->listEvents(ns, name, kind);
    QObject::connect(call, &kube::KubeCall::finished, [c](kube::KubeCall *call) {
        if (call->ok()) {
            const QJsonArray items = call->object().value(QStringLiteral("items")).toArray();
            for (const QJsonValue &v : items)
                c->job.events.append(toEvent(kube::KubeEvent(v.toObject())));
            std::sort(c->job.events.begin(), c->job.events.end(),
                      [](const core::PullEvent &a,
                         const core::PullEvent &b) { return a.time < b.time; });
        }
        c->finishOne();
    });
}

void fetchLog(kube::KubeClient *client, const QString &ns, const QString &pod,
              const QString &container,
              int tailLines, QString core::PullJob::*field, std::shared_ptr<Collection> c)
{
    ++c->pending;
    kube::KubeQuery query;
    query.add(QStringLiteral("container"), container);
    query.add(QStringLiteral("tailLines"), QString::number(tailLines));
    QString error;
    const QString path = kube::KubeClient::podsPath(ns,
                                                    &error) + u'/' + pod + QStringLiteral("/log");
    kube::KubeCall *call = client->send("GET", path, query);
    QObject::connect(call, &kube::KubeCall::finished, [c, field](kube::KubeCall *call) {
        if (call->ok())
            c->job.*field = QString::fromUtf8(call->body().right(64 * 1024));
        c->finishOne();
    });
}

} // namespace

namespace FailureDetails {

void collect(kube::KubeClient *client, const core::PullJob &job, int tailLines, QObject *context,
             std::function<void(const core::PullJob &)> done)
{
    auto c = std::make_shared<Collection>();
    c->job = job;
    c->job.events.clear();
    QPointer<QObject> guard(context);
    c->done = [guard, done](const core::PullJob &filled) {
        if (guard)
            done(filled);
    };
    ++c->pending; // held until every request is sent
    fetchEvents(client, job.namespaceName, job.id, QStringLiteral("Job"), c);
    if (core::DnsName::isSubdomain(job.podName)) {
        fetchEvents(client, job.namespaceName, job.podName, QStringLiteral("Pod"), c);
        fetchLog(client, job.namespaceName, job.podName, PullManifest::kSourceContainer, tailLines,
                 &core::PullJob::sourceLogTail, c);
        fetchLog(client, job.namespaceName, job.podName, PullManifest::kPushContainer, tailLines,
                 &core::PullJob::pushLogTail, c);
    }
    c->finishOne();
}

} // namespace FailureDetails

} // namespace pw::pulls
