#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QString>

class Clock;
class SharedRevocations;

// What the API server needs to know to start.
struct ServerConfig
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8080;
    QString tlsCertFile;
    QString tlsKeyFile;
    // docs/architecture.md §6: the API token (empty: none required) and the clock for sessions and bans.
    QByteArray token;
    Clock *clock = nullptr;
    int sessionTtlSeconds = 12 * 3600;
    // Where logged-out sessions are kept, so a restart does not bring them back (empty: in
    // memory only).
    QString revokedSessionsFile;
    // With replicas sharing Redis: logouts shared with the others (null: this process only).
    SharedRevocations *sharedRevocations = nullptr;
};
