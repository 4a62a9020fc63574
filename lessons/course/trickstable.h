/* trickstable.h - lesson 11's table of the MLP GAN's tricks, read back from
 * the summary.tsv lesson 11 leaves beside the calling lesson's folder, so a
 * lesson can show the measured answer to which of the default's choices
 * matter without training them itself. Lesson 06 shows it.
 */
#ifndef GANSTEPS_TRICKSTABLE_H
#define GANSTEPS_TRICKSTABLE_H

#include "lesson.h"

/* One line per trick of lesson 11's table (Frechet distance, mean over
 * seeds; classes covered), or a sentence saying lesson 11 has not run
 * beside this lesson. */
void trickstable_show(lesson *L);

#endif
