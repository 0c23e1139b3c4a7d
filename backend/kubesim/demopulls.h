#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace pw::kubesim {

// What the demo cluster teaches about pulls: the image-name keywords of Scenario::builtIn
// with the outcome each gives and a reference to try, and the pulls `pullwatch --demo`
// starts by itself so every state is on screen at once. One table, shown by the pull dialog
// (through /api/version), the help page and the README.
namespace DemoPulls {
struct Outcome {
    QString keyword; // in the image name
    QString outcome; // what happens, in words
    QString example; // a reference to try
};
QList<Outcome> outcomes();
// Pulls started when the demo starts: running ones, one completing, one per failure.
QStringList seedReferences();
} // namespace DemoPulls

} // namespace pw::kubesim
