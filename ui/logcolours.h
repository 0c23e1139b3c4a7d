#pragma once

#include "loglevel.h"

#include <QColor>
#include <QPalette>
#include <QStringView>

namespace pw::ui {

// The colours of the log view, chosen to read on light and dark themes alike (mid lightness,
// no colour near the background of either).
namespace LogColours {
// The background of marker rows (gaps, reconnects, ended sources) on `palette`'s base.
QColor markerBackground(const QPalette &palette);
// ERROR/FATAL red, WARN orange, DEBUG/TRACE grey; INFO and unknown: invalid (the text colour).
QColor forLevel(LogLevel level);
// A stable colour per source ("pod/container"): a hash of the name into a fixed palette, the
// same in every run and every window (sourceSlot() is its place in the palette).
QColor forSource(QStringView source);
int sourceSlot(QStringView source);
int paletteSize();
QColor paletteColour(int slot);
} // namespace LogColours

} // namespace pw::ui
