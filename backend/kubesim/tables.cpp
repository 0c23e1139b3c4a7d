#include "tables.h"

#include "kubejson.h"

#include <QDateTime>
#include <QJsonArray>

#include <core/timeformat.h>

namespace pw::kubesim {

namespace Tables {

namespace {

QJsonObject column(const QString &name, const QString &type, int priority,
                   const QString &description, const QString &format = {}) {
    return {{QStringLiteral("name"), name},
            {QStringLiteral("type"), type},
            {QStringLiteral("format"), format},
            {QStringLiteral("description"), description},
            {QStringLiteral("priority"), priority}};
}

QString age(const QJsonObject &object) {
    const QDateTime created = core::TimeFormat::parseRfc3339(
        KubeJson::at(object, QStringLiteral("metadata.creationTimestamp")).toString());
    if (!created.isValid())
        return QStringLiteral("<unknown>");
    return humanDuration(created.secsTo(QDateTime::currentDateTimeUtc()));
}

QString str(const QJsonObject &o, const char *path) {
    return KubeJson::at(o, QString::fromLatin1(path)).toString();
}

QString podStatus(const QJsonObject &pod) {
    const QJsonObject status = pod.value(QStringLiteral("status")).toObject();
    QString reason = status.value(QStringLiteral("reason")).toString();
    if (reason.isEmpty())
        reason = status.value(QStringLiteral("phase")).toString();
    const QJsonArray inits = status.value(QStringLiteral("initContainerStatuses")).toArray();
    int i = 0;
    for (const QJsonValue &v : inits) {
        const QJsonObject state = v.toObject().value(QStringLiteral("state")).toObject();
        const QJsonObject term = state.value(QStringLiteral("terminated")).toObject();
        const QJsonObject wait = state.value(QStringLiteral("waiting")).toObject();
        if (!term.isEmpty() && term.value(QStringLiteral("exitCode")).toInt() == 0) {
            ++i;
            continue;
        }
        if (!term.isEmpty())
            return QStringLiteral("Init:") + term.value(QStringLiteral("reason")).toString();
        const QString wr = wait.value(QStringLiteral("reason")).toString();
        if (!wait.isEmpty() && !wr.isEmpty() && wr != QStringLiteral("PodInitializing"))
            return QStringLiteral("Init:") + wr;
        return QStringLiteral("Init:%1/%2").arg(i).arg(inits.size());
    }
    bool running = false;
    for (const QJsonValue &v : status.value(QStringLiteral("containerStatuses")).toArray()) {
        const QJsonObject state = v.toObject().value(QStringLiteral("state")).toObject();
        const QString wr = KubeJson::at(state, QStringLiteral("waiting.reason")).toString();
        const QString tr = KubeJson::at(state, QStringLiteral("terminated.reason")).toString();
        if (!wr.isEmpty())
            reason = wr;
        else if (!tr.isEmpty())
            reason = tr;
        else if (state.contains(QStringLiteral("running")))
            running = true;
    }
    if (running && reason == QStringLiteral("Running"))
        return reason;
    if (!pod.value(QStringLiteral("metadata"))
             .toObject()
             .value(QStringLiteral("deletionTimestamp"))
             .isUndefined())
        return QStringLiteral("Terminating");
    return reason;
}

QJsonArray podCells(const QJsonObject &pod) {
    const QJsonObject status = pod.value(QStringLiteral("status")).toObject();
    const QJsonArray cs = status.value(QStringLiteral("containerStatuses")).toArray();
    int ready = 0, restarts = 0;
    for (const QJsonValue &v : cs) {
        ready += v.toObject().value(QStringLiteral("ready")).toBool() ? 1 : 0;
        restarts += v.toObject().value(QStringLiteral("restartCount")).toInt();
    }
    const int total = KubeJson::at(pod, QStringLiteral("spec.containers")).toArray().size();
    const QString ip = str(pod, "status.podIP");
    const QString node = str(pod, "spec.nodeName");
    return {str(pod, "metadata.name"),
            QStringLiteral("%1/%2").arg(ready).arg(total),
            podStatus(pod),
            restarts,
            age(pod),
            ip.isEmpty() ? QStringLiteral("<none>") : ip,
            node.isEmpty() ? QStringLiteral("<none>") : node,
            QStringLiteral("<none>"),
            QStringLiteral("<none>")};
}

QJsonArray jobCells(const QJsonObject &job) {
    const QJsonObject status = job.value(QStringLiteral("status")).toObject();
    QString state = QStringLiteral("Running");
    for (const QJsonValue &c : status.value(QStringLiteral("conditions")).toArray()) {
        const QJsonObject co = c.toObject();
        if (co.value(QStringLiteral("status")).toString() != QStringLiteral("True"))
            continue;
        const QString type = co.value(QStringLiteral("type")).toString();
        if (type == QStringLiteral("Complete") || type == QStringLiteral("Failed"))
            state = type;
    }
    const int completions = KubeJson::at(job, QStringLiteral("spec.completions")).toInt(1);
    const int succeeded = status.value(QStringLiteral("succeeded")).toInt();
    const QDateTime start =
        core::TimeFormat::parseRfc3339(status.value(QStringLiteral("startTime")).toString());
    QDateTime end =
        core::TimeFormat::parseRfc3339(status.value(QStringLiteral("completionTime")).toString());
    if (!end.isValid())
        end = QDateTime::currentDateTimeUtc();
    const QString duration = start.isValid() ? humanDuration(start.secsTo(end)) : QString();
    QStringList names, images;
    for (const QJsonValue &c :
         KubeJson::at(job, QStringLiteral("spec.template.spec.containers")).toArray()) {
        names << c.toObject().value(QStringLiteral("name")).toString();
        images << c.toObject().value(QStringLiteral("image")).toString();
    }
    QStringList selector;
    const QJsonObject ml =
        KubeJson::at(job, QStringLiteral("spec.selector.matchLabels")).toObject();
    for (auto it = ml.begin(); it != ml.end(); ++it)
        selector << it.key() + u'=' + it.value().toString();
    return {str(job, "metadata.name"),
            state,
            QStringLiteral("%1/%2").arg(succeeded).arg(completions),
            duration,
            age(job),
            names.join(u','),
            images.join(u','),
            selector.join(u',')};
}

QString since(const QJsonObject &o, const char *path) {
    const QDateTime t = core::TimeFormat::parseRfc3339(str(o, path));
    return t.isValid() ? humanDuration(t.secsTo(QDateTime::currentDateTimeUtc()))
                       : QStringLiteral("<unknown>");
}

QJsonArray eventCells(const QJsonObject &e) {
    const QString object =
        str(e, "involvedObject.kind").toLower() + u'/' + str(e, "involvedObject.name");
    QString source = str(e, "source.component");
    if (!str(e, "source.host").isEmpty())
        source += QStringLiteral(", ") + str(e, "source.host");
    return {since(e, "lastTimestamp"),
            str(e, "type"),
            str(e, "reason"),
            object,
            str(e, "involvedObject.fieldPath"),
            source,
            str(e, "message"),
            since(e, "firstTimestamp"),
            e.value(QStringLiteral("count")).toInt(),
            str(e, "metadata.name")};
}

} // namespace

bool wantsTable(const QByteArray &accept) {
    return accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
}

QString humanDuration(qint64 s) {
    if (s < 0)
        s = 0;
    if (s < 120)
        return QStringLiteral("%1s").arg(s);
    const qint64 m = s / 60;
    if (m < 10)
        return s % 60 ? QStringLiteral("%1m%2s").arg(m).arg(s % 60) : QStringLiteral("%1m").arg(m);
    if (m < 180)
        return QStringLiteral("%1m").arg(m);
    const qint64 h = m / 60;
    if (h < 8)
        return m % 60 ? QStringLiteral("%1h%2m").arg(h).arg(m % 60) : QStringLiteral("%1h").arg(h);
    if (h < 48)
        return QStringLiteral("%1h").arg(h);
    if (h < 24 * 8)
        return h % 24 ? QStringLiteral("%1d%2h").arg(h / 24).arg(h % 24)
                      : QStringLiteral("%1d").arg(h / 24);
    return QStringLiteral("%1d").arg(h / 24);
}

QJsonObject table(const QString &resource, const QList<QJsonObject> &objects, bool includeColumns,
                  const QString &resourceVersion) {
    const QString nameDesc = QStringLiteral("Name must be unique within a namespace.");
    QJsonArray columns;
    if (resource == QStringLiteral("pods")) {
        columns = {
            column(QStringLiteral("Name"), QStringLiteral("string"), 0, nameDesc,
                   QStringLiteral("name")),
            column(
                QStringLiteral("Ready"), QStringLiteral("string"), 0,
                QStringLiteral("The aggregate readiness state of this pod for accepting traffic.")),
            column(QStringLiteral("Status"), QStringLiteral("string"), 0,
                   QStringLiteral("The aggregate status of the containers in this pod.")),
            column(QStringLiteral("Restarts"), QStringLiteral("string"), 0,
                   QStringLiteral(
                       "The number of times the containers in this pod have been restarted.")),
            column(QStringLiteral("Age"), QStringLiteral("string"), 0,
                   QStringLiteral("CreationTimestamp")),
            column(QStringLiteral("IP"), QStringLiteral("string"), 1,
                   QStringLiteral("IP address allocated to the pod.")),
            column(QStringLiteral("Node"), QStringLiteral("string"), 1,
                   QStringLiteral("Name of the Node.")),
            column(QStringLiteral("Nominated Node"), QStringLiteral("string"), 1,
                   QStringLiteral("Nominated node.")),
            column(QStringLiteral("Readiness Gates"), QStringLiteral("string"), 1,
                   QStringLiteral("Readiness gates."))};
    } else if (resource == QStringLiteral("jobs")) {
        columns = {column(QStringLiteral("Name"), QStringLiteral("string"), 0, nameDesc,
                          QStringLiteral("name")),
                   column(QStringLiteral("Status"), QStringLiteral("string"), 0,
                          QStringLiteral("Status of the job.")),
                   column(QStringLiteral("Completions"), QStringLiteral("string"), 0,
                          QStringLiteral("The desired number of successfully finished pods the job "
                                         "should be run with.")),
                   column(QStringLiteral("Duration"), QStringLiteral("string"), 0,
                          QStringLiteral("Time required to complete the job.")),
                   column(QStringLiteral("Age"), QStringLiteral("string"), 0,
                          QStringLiteral("CreationTimestamp")),
                   column(QStringLiteral("Containers"), QStringLiteral("string"), 1,
                          QStringLiteral("Names of each container in the template.")),
                   column(QStringLiteral("Images"), QStringLiteral("string"), 1,
                          QStringLiteral("Images referenced by each container in the template.")),
                   column(QStringLiteral("Selector"), QStringLiteral("string"), 1,
                          QStringLiteral("Selector."))};
    } else if (resource == QStringLiteral("events")) {
        auto text = [&](const char *name, int priority, const char *description) {
            return column(QLatin1String(name), QStringLiteral("string"), priority,
                          QLatin1String(description));
        };
        columns = {text("Last Seen", 0, "Time since the event was last seen."),
                   text("Type", 0, "Type of this event (Normal, Warning)."),
                   text("Reason", 0, "Why the action was taken."),
                   text("Object", 0, "The object this event is about."),
                   text("Subobject", 1, "The part of the object (fieldPath)."),
                   text("Source", 1, "The component reporting this event."),
                   text("Message", 0, "A human-readable description."),
                   text("First Seen", 1, "Time since the event was first seen."),
                   column(QStringLiteral("Count"), QStringLiteral("integer"), 1,
                          QStringLiteral("How often it happened.")),
                   column(QStringLiteral("Name"), QStringLiteral("string"), 1, nameDesc,
                          QStringLiteral("name"))};
    } else if (resource == QStringLiteral("namespaces")) {
        columns = {column(QStringLiteral("Name"), QStringLiteral("string"), 0, nameDesc,
                          QStringLiteral("name")),
                   column(QStringLiteral("Status"), QStringLiteral("string"), 0,
                          QStringLiteral("The status of the namespace")),
                   column(QStringLiteral("Age"), QStringLiteral("string"), 0,
                          QStringLiteral("CreationTimestamp"))};
    } else {
        columns = {column(QStringLiteral("Name"), QStringLiteral("string"), 0, nameDesc,
                          QStringLiteral("name")),
                   column(QStringLiteral("Created At"), QStringLiteral("date"), 0,
                          QStringLiteral("CreationTimestamp"))};
    }
    QJsonArray rows;
    for (const QJsonObject &o : objects) {
        QJsonArray cells;
        if (resource == QStringLiteral("pods"))
            cells = podCells(o);
        else if (resource == QStringLiteral("jobs"))
            cells = jobCells(o);
        else if (resource == QStringLiteral("events"))
            cells = eventCells(o);
        else if (resource == QStringLiteral("namespaces"))
            cells = {str(o, "metadata.name"), str(o, "status.phase"), age(o)};
        else
            cells = {str(o, "metadata.name"), str(o, "metadata.creationTimestamp")};
        QJsonObject partial{{QStringLiteral("kind"), QStringLiteral("PartialObjectMetadata")},
                            {QStringLiteral("apiVersion"), QStringLiteral("meta.k8s.io/v1")},
                            {QStringLiteral("metadata"), o.value(QStringLiteral("metadata"))}};
        rows.append(
            QJsonObject{{QStringLiteral("cells"), cells}, {QStringLiteral("object"), partial}});
    }
    return {{QStringLiteral("kind"), QStringLiteral("Table")},
            {QStringLiteral("apiVersion"), QStringLiteral("meta.k8s.io/v1")},
            {QStringLiteral("metadata"),
             QJsonObject{{QStringLiteral("resourceVersion"), resourceVersion}}},
            {QStringLiteral("columnDefinitions"), includeColumns ? columns : QJsonArray()},
            {QStringLiteral("rows"), rows}};
}

} // namespace Tables

} // namespace pw::kubesim
