#pragma once

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

namespace pw::kubesim {

class JobRunner;
struct SimContext;

// The answer to an API write: the stored object, or a Status (code and body).
struct WriteResult {
    int code = 201;
    QByteArray body;
};

// Admits Jobs (defaults, generateName, validation as the apiserver does) and runs each with a
// JobRunner until it is deleted.
class JobController : public QObject {
    Q_OBJECT
public:
    JobController(SimContext *context, QObject *parent);

    WriteResult create(const QString &ns, QJsonObject job, bool dryRun);
    // propagation: Orphan (the API default for batch/v1 Jobs), Background or Foreground.
    WriteResult remove(const QString &ns, const QString &name, const QString &propagation);
    int runningJobs() const { return int(m_runners.size()); }

private:
    QString validate(const QJsonObject &job) const;
    void applyDefaults(QJsonObject &job) const;

    SimContext *m_ctx;
    QHash<QString, QPointer<JobRunner>> m_runners; // ns/name
};

} // namespace pw::kubesim
