#pragma once

#include <QObject>

class QSocketNotifier;

namespace pw::app {

// Turns SIGINT and SIGTERM into a Qt signal on the event loop (self-pipe), so shutdown runs
// as ordinary code: listeners closed, connections closed, stores flushed.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);

private:
    static void onSignal(int signalNumber);
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace pw::app
