#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace pw::ui {

// Lines of one source as a log stream delivered them: `firstSeq` numbers the first line, the
// others follow it (-1: the stream numbers no lines).
struct LogBatch {
    QStringList lines;
    qint64 firstSeq = -1;
    QString source;
};

// The lines a log view received and has not shown yet. What arrives is collected until the
// view's next frame; then it is either shown, consecutive batches merged into one append, or,
// while the view is paused, held: bounded, past the limit the oldest held lines go first and
// are counted for the gap marker. Resuming puts the held lines before what arrived since.
class LogBacklog {
public:
    void add(LogBatch &&batch);
    bool isEmpty() const { return m_incoming.isEmpty(); } // nothing arrived since the last frame

    // What arrived, in order, each run of batches of one source with contiguous numbers (or
    // no numbers) merged into one batch; the lines are moved, not copied.
    QList<LogBatch> takeMerged();
    // Paused: what arrived is held, dropping the oldest held lines past the limit. Returns the
    // number of lines that arrived.
    qint64 hold();
    // Resuming: the held lines go before what arrived since, and the counts start again.
    // Returns the number of lines dropped while paused.
    qint64 release();

    qint64 heldLines() const { return m_heldLines; }
    qint64 dropped() const { return m_dropped; }
    // Takes effect when lines are next held.
    void setLimit(qint64 lines) { m_limit = lines; }

private:
    QList<LogBatch> m_incoming; // collected since the last frame
    QList<LogBatch> m_held;     // held while paused
    qint64 m_heldLines = 0;
    qint64 m_limit = 100'000;
    qint64 m_dropped = 0;
};

} // namespace pw::ui
