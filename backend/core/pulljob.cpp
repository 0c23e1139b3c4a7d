#include "pulljob.h"

#include "timeformat.h"

#include <QJsonArray>

namespace pw::core {

namespace {

QString timeOrEmpty(const QDateTime &time)
{
    return time.isValid() ? TimeFormat::rfc3339(time) : QString();
}

void putIfNotEmpty(QJsonObject &object, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

QDateTime timeField(const QJsonObject &object, const QString &key)
{
    return TimeFormat::parseRfc3339(object.value(key).toString());
}

} // namespace

QJsonObject PullEvent::toJson() const
{
    return QJsonObject{{QStringLiteral("type"), type},
                       {QStringLiteral("reason"), reason},
                       {QStringLiteral("message"), message},
                       {QStringLiteral("count"), count},
                       {QStringLiteral("time"), timeOrEmpty(time)}};
}

PullEvent PullEvent::fromJson(const QJsonObject &object)
{
    PullEvent e;
    e.type = object.value(QStringLiteral("type")).toString();
    e.reason = object.value(QStringLiteral("reason")).toString();
    e.message = object.value(QStringLiteral("message")).toString();
    e.count = object.value(QStringLiteral("count")).toInt(1);
    e.time = timeField(object, QStringLiteral("time"));
    return e;
}

bool PullEvent::operator==(const PullEvent &o) const
{
    return type == o.type && reason == o.reason && message == o.message && count == o.count
        && time == o.time;
}

QString PullJob::imageReference() const
{
    if (tag.startsWith(QStringLiteral("sha256:")))
        return imageName + u'@' + tag;
    return imageName + u':' + tag;
}

QJsonObject PullJob::toSummaryJson() const
{
    QJsonObject o{{QStringLiteral("job_id"), id},
                  {QStringLiteral("image_name"), imageName},
                  {QStringLiteral("image_tag"), tag},
                  {QStringLiteral("status"), PullStates::toString(status)},
                  {QStringLiteral("stage"), PullStates::toString(stage)},
                  {QStringLiteral("progress"), progress},
                  {QStringLiteral("message"), message},
                  {QStringLiteral("created_at"), timeOrEmpty(createdAt)},
                  {QStringLiteral("updated_at"), timeOrEmpty(updatedAt)}};
    putIfNotEmpty(o, QStringLiteral("reason"), PullStates::toString(reason));
    putIfNotEmpty(o, QStringLiteral("finished_at"), timeOrEmpty(finishedAt));
    putIfNotEmpty(o, QStringLiteral("namespace"), namespaceName);
    putIfNotEmpty(o, QStringLiteral("pod"), podName);
    putIfNotEmpty(o, QStringLiteral("node"), node);
    // One value under two names (docs/api.md): `harbor_target` as the pulls API names it,
    // `target` as the detail and the history carry it.
    putIfNotEmpty(o, QStringLiteral("harbor_target"), target);
    putIfNotEmpty(o, QStringLiteral("target"), target);
    return o;
}

QJsonObject PullJob::toDetailJson() const
{
    QJsonObject o = toSummaryJson();
    o.insert(QStringLiteral("source"), source);
    o.insert(QStringLiteral("target"), target);
    putIfNotEmpty(o, QStringLiteral("retry_of"), retryOf);
    putIfNotEmpty(o, QStringLiteral("retried_by"), retriedBy);
    QJsonArray eventArray;
    for (const PullEvent &e : events)
        eventArray.append(e.toJson());
    o.insert(QStringLiteral("events"), eventArray);
    o.insert(QStringLiteral("logs"), QJsonObject{{QStringLiteral("pull-source"), sourceLogTail},
                                                 {QStringLiteral("push-to-harbor"), pushLogTail}});
    return o;
}

QJsonObject PullJob::toStatusMessage() const
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("status")},
                  {QStringLiteral("job_id"), id},
                  {QStringLiteral("image"), imageReference()},
                  {QStringLiteral("image_name"), imageName},
                  {QStringLiteral("image_tag"), tag},
                  {QStringLiteral("status"), PullStates::toString(status)},
                  {QStringLiteral("stage"), PullStates::toString(stage)},
                  {QStringLiteral("progress"), progress},
                  {QStringLiteral("message"), message},
                  {QStringLiteral("timestamp"), timeOrEmpty(updatedAt)}};
    putIfNotEmpty(o, QStringLiteral("reason"), PullStates::toString(reason));
    putIfNotEmpty(o, QStringLiteral("node"), node);
    putIfNotEmpty(o, QStringLiteral("created_at"), timeOrEmpty(createdAt));
    return o;
}

PullJob PullJob::fromJson(const QJsonObject &o)
{
    PullJob job;
    job.id = o.value(QStringLiteral("job_id")).toString();
    job.imageName = o.value(QStringLiteral("image_name")).toString();
    job.tag = o.value(QStringLiteral("image_tag")).toString();
    job.source = o.value(QStringLiteral("source")).toString();
    job.target = o.value(QStringLiteral("harbor_target")).toString(o.value(QStringLiteral("target")).toString());
    job.namespaceName = o.value(QStringLiteral("namespace")).toString();
    job.podName = o.value(QStringLiteral("pod")).toString();
    job.node = o.value(QStringLiteral("node")).toString();
    PullStates::fromString(o.value(QStringLiteral("status")).toString(), &job.status);
    PullStates::fromString(o.value(QStringLiteral("stage")).toString(), &job.stage);
    PullStates::fromString(o.value(QStringLiteral("reason")).toString(), &job.reason);
    job.progress = o.value(QStringLiteral("progress")).toInt();
    job.message = o.value(QStringLiteral("message")).toString();
    job.createdAt = timeField(o, QStringLiteral("created_at"));
    job.updatedAt = o.contains(QStringLiteral("updated_at"))
        ? timeField(o, QStringLiteral("updated_at"))
        : timeField(o, QStringLiteral("timestamp"));
    job.finishedAt = timeField(o, QStringLiteral("finished_at"));
    job.retryOf = o.value(QStringLiteral("retry_of")).toString();
    job.retriedBy = o.value(QStringLiteral("retried_by")).toString();
    const QJsonArray eventArray = o.value(QStringLiteral("events")).toArray();
    for (const QJsonValue &v : eventArray)
        job.events.append(PullEvent::fromJson(v.toObject()));
    const QJsonObject logs = o.value(QStringLiteral("logs")).toObject();
    job.sourceLogTail = logs.value(QStringLiteral("pull-source")).toString();
    job.pushLogTail = logs.value(QStringLiteral("push-to-harbor")).toString();
    if (job.imageName.isEmpty()) {
        // The status message carries "image": "name:tag" only.
        const QString image = o.value(QStringLiteral("image")).toString();
        const qsizetype at = image.indexOf(u'@');
        const qsizetype colon = image.lastIndexOf(u':');
        const qsizetype slash = image.lastIndexOf(u'/');
        if (at >= 0) {
            job.imageName = image.left(at);
            job.tag = image.mid(at + 1);
        } else if (colon > slash) {
            job.imageName = image.left(colon);
            job.tag = image.mid(colon + 1);
        } else {
            job.imageName = image;
        }
    }
    return job;
}

bool PullJob::operator==(const PullJob &o) const
{
    return id == o.id && imageName == o.imageName && tag == o.tag && source == o.source
        && target == o.target && namespaceName == o.namespaceName && podName == o.podName
        && node == o.node && status == o.status && stage == o.stage && progress == o.progress
        && message == o.message && reason == o.reason && createdAt == o.createdAt
        && updatedAt == o.updatedAt && finishedAt == o.finishedAt && retryOf == o.retryOf
        && retriedBy == o.retriedBy && events == o.events && sourceLogTail == o.sourceLogTail
        && pushLogTail == o.pushLogTail;
}

} // namespace pw::core
