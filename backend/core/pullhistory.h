#pragma once

#include "pulljob.h"

#include <QList>
#include <QObject>

#include <functional>

namespace pw::core {

// Where finished pulls (completed and failed) are kept across restarts. Implementations do
// their input and output off the event loop and call back on it. Bounded: the oldest
// entries beyond the limit are dropped.
class PullHistory : public QObject
{
    Q_OBJECT
public:
    using Loaded = std::function<void(const QList<PullJob> &finished, const QString &error)>;

    explicit PullHistory(QObject *parent = nullptr) : QObject(parent) {}

    // Everything kept, newest first.
    virtual void load(Loaded done) = 0;
    // Adds or replaces (by id) one finished pull.
    virtual void record(const PullJob &job) = 0;
    // Writes what is queued; returns once it is on disk (or given up). For shutdown.
    virtual void flush() = 0;
    virtual QString backendName() const = 0;
};

} // namespace pw::core
