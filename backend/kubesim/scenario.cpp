#include "scenario.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace pw::kubesim {

namespace {

void readTimings(const QJsonObject &o, StepTimings *t) {
    auto take = [&](const char *key, int *field) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isDouble())
            *field = qMax(0, v.toInt());
    };
    take("scheduleMs", &t->scheduleMs);
    take("pullMs", &t->pullMs);
    take("startMs", &t->startMs);
    take("initRunMs", &t->initRunMs);
    take("pushMs", &t->pushMs);
    take("backoffMs", &t->backoffMs);
}

bool outcomeFromString(const QString &s, PullOutcome *out) {
    static const QList<QPair<QString, PullOutcome>> names = {
        {QStringLiteral("success"), PullOutcome::Success},
        {QStringLiteral("notfound"), PullOutcome::NotFound},
        {QStringLiteral("unauthorized"), PullOutcome::Unauthorized},
        {QStringLiteral("pushfail"), PullOutcome::PushFail},
        {QStringLiteral("chatty"), PullOutcome::Chatty},
        {QStringLiteral("unschedulable"), PullOutcome::Unschedulable}};
    for (const auto &[name, outcome] : names) {
        if (s.compare(name, Qt::CaseInsensitive) == 0) {
            *out = outcome;
            return true;
        }
    }
    return false;
}

} // namespace

Scenario Scenario::builtIn() {
    Scenario s;
    OutcomeRule r;
    r.timings = s.defaults;
    r.keyword = QStringLiteral("notfound");
    r.outcome = PullOutcome::NotFound;
    s.rules << r;
    r.keyword = QStringLiteral("unauthorized");
    r.outcome = PullOutcome::Unauthorized;
    s.rules << r;
    r.keyword = QStringLiteral("pushfail");
    r.outcome = PullOutcome::PushFail;
    s.rules << r;
    r.keyword = QStringLiteral("slow");
    r.outcome = PullOutcome::Success;
    r.timings.pullMs = 30000;
    r.timings.pushMs = 30000;
    s.rules << r;
    r.timings = s.defaults;
    r.keyword = QStringLiteral("chatty");
    r.outcome = PullOutcome::Chatty;
    s.rules << r;
    r.keyword = QStringLiteral("unschedulable");
    r.outcome = PullOutcome::Unschedulable;
    s.rules << r;
    return s;
}

bool Scenario::load(const QString &path, QString *error) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read scenario %1: %2").arg(path, f.errorString());
        return false;
    }
    if (!parse(f.readAll(), error)) {
        *error = QStringLiteral("scenario %1: %2").arg(path, *error);
        return false;
    }
    return true;
}

bool Scenario::parse(const QByteArray &json, QString *error) {
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (!doc.isObject()) {
        *error = pe.error != QJsonParseError::NoError ? pe.errorString()
                                                      : QStringLiteral("not a JSON object");
        return false;
    }
    const QJsonObject o = doc.object();
    if (o.value(QStringLiteral("timeScale")).isDouble())
        timeScale = qMax(0.0001, o.value(QStringLiteral("timeScale")).toDouble());
    if (o.value(QStringLiteral("bookmarkIntervalMs")).isDouble())
        bookmarkIntervalMs = qMax(10, o.value(QStringLiteral("bookmarkIntervalMs")).toInt());
    readTimings(o.value(QStringLiteral("defaults")).toObject(), &defaults);
    QList<OutcomeRule> fileRules;
    for (const QJsonValue &v : o.value(QStringLiteral("rules")).toArray()) {
        const QJsonObject ro = v.toObject();
        OutcomeRule r;
        r.keyword = ro.value(QStringLiteral("keyword")).toString();
        if (r.keyword.isEmpty()) {
            *error = QStringLiteral("a rule has no keyword");
            return false;
        }
        const QString outcome =
            ro.value(QStringLiteral("outcome")).toString(QStringLiteral("success"));
        if (!outcomeFromString(outcome, &r.outcome)) {
            *error = QStringLiteral("rule %1: unknown outcome \"%2\" (allowed: success, notfound, "
                                    "unauthorized, pushfail, chatty, unschedulable)")
                         .arg(r.keyword, outcome);
            return false;
        }
        r.timings = defaults;
        readTimings(ro, &r.timings);
        r.exitCode = ro.value(QStringLiteral("exitCode")).toInt(1);
        r.chattyRate = qMax(0, ro.value(QStringLiteral("linesPerSecond")).toInt(50));
        r.chattyLines = qMax<qint64>(0, ro.value(QStringLiteral("lines")).toInteger(0));
        fileRules << r;
    }
    // Built-in rules follow the defaults the file set, except for the slow one.
    for (OutcomeRule &r : rules)
        if (r.keyword != QStringLiteral("slow"))
            r.timings = defaults;
    rules = fileRules + rules;
    const QJsonObject faults = o.value(QStringLiteral("faults")).toObject();
    watchCutMs =
        int(faults.value(QStringLiteral("watchCutSeconds")).toDouble(watchCutMs / 1000.0) * 1000);
    failNextWatches = faults.value(QStringLiteral("failNextWatches")).toInt(failNextWatches);
    failWatchesAsEvent =
        faults.value(QStringLiteral("failWatchesAsEvent")).toBool(failWatchesAsEvent);
    logDropEveryLines = faults.value(QStringLiteral("logDropEveryLines")).toInt(logDropEveryLines);
    return true;
}

OutcomeRule Scenario::ruleFor(const QString &image) const {
    for (const OutcomeRule &r : rules)
        if (image.contains(r.keyword, Qt::CaseInsensitive))
            return r;
    OutcomeRule r;
    r.timings = defaults;
    return r;
}

int Scenario::scaled(int ms) const {
    return int(std::lround(ms * timeScale));
}

} // namespace pw::kubesim
