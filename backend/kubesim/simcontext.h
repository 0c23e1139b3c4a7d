#pragma once

#include "scenario.h"

#include <QHash>
#include <QString>

namespace pw::kubesim {

class EventRecorder;
class LogRegistry;
class ObjectStore;
class SimTimers;

// What the simulated controllers share: the object store, the logs, the event recorder and
// the scenario. Owned by KubeSim; controllers hold a pointer.
struct SimContext {
    ObjectStore *store = nullptr;
    LogRegistry *logs = nullptr;
    EventRecorder *events = nullptr;
    SimTimers *timers = nullptr; // every simulated delay (one QTimer for all)
    Scenario scenario;
    QString nodeName = QStringLiteral("sim-node-1");
    QString hostIp = QStringLiteral("192.168.49.2");
    int chattyRateOverride = -1; // KubeSim::setChattyRate; -1 = the rule's

    // Faults, changed at run time by KubeSim's test API or the scenario.
    int watchCutMs = 0;              // close every watch after this long; 0 = never
    int failNextWatches = 0;         // answer the next N watch requests 410
    bool failWatchesAsEvent = false; // …as a 200 stream with one ERROR event instead
    int logDropEveryLines = 0;       // end follow log streams every N lines; 0 = never
    QHash<QString, int> watchLagMs;  // resource → delay of its watch events

    // Counters for tests and benchmarks.
    int openWatches = 0;
    quint64 watchesOpened = 0;
    QHash<QString, quint64> watchesOpenedOn; // watchKey → watches opened with it
    int openLogStreams = 0;
    quint64 logStreamsOpened = 0;
    int scaled(int ms) const { return scenario.scaled(ms); }
    static QString watchKey(const QString &resource, const QString &ns, const QString &selector) {
        return resource + u'/' + ns + u'?' + selector;
    }
};

} // namespace pw::kubesim
