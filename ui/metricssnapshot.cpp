#include "metricssnapshot.h"

#include <QList>

namespace pw::ui {

namespace {

struct Sample {
    QByteArray name;
    QByteArray labels; // inside the braces
    double value = 0;
};

QByteArray label(const QByteArray &labels, const char *key) {
    const QByteArray needle = QByteArray(key) + "=\"";
    qsizetype at = 0;
    while ((at = labels.indexOf(needle, at)) >= 0) {
        if (at == 0 || labels.at(at - 1) == ',')
            break;
        at += needle.size();
    }
    if (at < 0)
        return {};
    const qsizetype start = at + needle.size();
    const qsizetype end = labels.indexOf('"', start);
    return end < 0 ? QByteArray() : labels.mid(start, end - start);
}

bool parseLine(const QByteArray &line, Sample *s) {
    if (line.isEmpty() || line.startsWith('#'))
        return false;
    const qsizetype brace = line.indexOf('{');
    const qsizetype space = line.lastIndexOf(' ');
    if (space <= 0)
        return false;
    if (brace >= 0 && brace < space) {
        const qsizetype close = line.lastIndexOf('}', space);
        if (close < brace)
            return false;
        s->name = line.left(brace);
        s->labels = line.mid(brace + 1, close - brace - 1);
    } else {
        s->name = line.left(space).trimmed();
        s->labels.clear();
    }
    bool ok = false;
    s->value = line.mid(space + 1).trimmed().toDouble(&ok);
    return ok;
}

} // namespace

MetricsSnapshot MetricsSnapshot::parse(const QByteArray &text) {
    MetricsSnapshot m;
    int wsClients = -1;
    int httpConnections = -1;
    Sample s;
    for (const QByteArray &line : text.split('\n')) {
        if (!parseLine(line.trimmed(), &s))
            continue;
        if (s.name == "pullwatch_cluster_state") {
            if (s.value >= 1)
                m.clusterState = QString::fromUtf8(label(s.labels, "state"));
        } else if (s.name == "pullwatch_cache_requests_total") {
            m.cacheBackend = QString::fromUtf8(label(s.labels, "backend"));
            const QByteArray result = label(s.labels, "result");
            if (result.endsWith("hit")) {
                m.cacheHits += s.value;
                m.cacheLookups += s.value;
            } else if (result == "miss") {
                m.cacheLookups += s.value;
            }
        } else if (s.name == "pullwatch_cache_backend_up") {
            m.cacheBackend = QString::fromUtf8(label(s.labels, "backend"));
            m.cacheUp = s.value >= 1;
        } else if (s.name == "pullwatch_pulls_finished_total") {
            const QByteArray outcome = label(s.labels, "outcome");
            if (outcome == "completed")
                m.pullsCompleted = s.value;
            else if (outcome == "failed")
                m.pullsFailed = s.value;
        } else if (s.name == "pullwatch_pulls_active") {
            m.activePulls = int(s.value);
        } else if (s.name.startsWith("pullwatch_ws_") &&
                   (s.name.endsWith("_connections") || s.name.endsWith("_clients"))) {
            wsClients = qMax(0, wsClients) + int(s.value);
        } else if (s.name == "pullwatch_http_connections") {
            httpConnections = int(s.value);
        }
    }
    m.clients = wsClients >= 0 ? wsClients : httpConnections;
    return m;
}

} // namespace pw::ui
