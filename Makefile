# gansteps - one entry point.
#   make              library, tests, lessons
#   make test         install what is missing, build, run every test
#   make tour         install what is missing, run the lessons in order
#   make lesson N=6   run one lesson (USE=exercises: on your own code)
#   make check        your exercises' progress table (EX=3: one of them)
#   make grade        grade the exercises: table, score, plots/grade.xml (EX=1-13)
#   make watch        the table again each time you save an exercise
#   make hint EX=3    the hint for exercise 3
#   make book         the course book: every run as a web page, plots/index.html
#   make bench        speed and memory of the GAN training step
#   make bench-conv   the DCGAN's convolutions, forward and backward
# Options: SANITIZE=1 (ASan + UBSan), WERROR=1, CC=clang, ARGS="..." for lessons,
# V=1 to see every compiler command.

CC       ?= cc
SANITIZE ?= 0
WERROR   ?= 0
USE      ?= solutions
ARGS     ?=

# Sanitized objects must not mix with plain ones: each variant has its own tree.
ifeq ($(SANITIZE),1)
BUILD ?= build/sanitize
else
BUILD ?= build/default
endif

# -O3 lets gcc vectorise the element-wise loops (bias, activations, Adam),
# with the same numbers: no reassociation of float sums is allowed without
# -ffast-math. bench/README.md has the measurement.
CFLAGS  = -std=c11 -Wall -Wextra -Wshadow -O3 -g -D_POSIX_C_SOURCE=200809L
CFLAGS += $(shell pkg-config --cflags libpng zlib cmocka 2>/dev/null)
LDLIBS  = $(shell pkg-config --libs libpng zlib 2>/dev/null) -lm -lpthread
# The course book turns lesson.md into HTML with libcmark (lessons/frame/book.h).
LDLIBS += $(shell pkg-config --libs libcmark 2>/dev/null || echo -lcmark)
CMOCKA  = $(shell pkg-config --libs cmocka 2>/dev/null)
# The fast matmul path uses OpenBLAS when pkg-config finds it (lib/kernels/ops_fast.c);
# without it a portable kernel keeps everything building.
ifeq ($(shell pkg-config --exists openblas 2>/dev/null && echo yes),yes)
CFLAGS += $(shell pkg-config --cflags openblas) -DNN_HAVE_OPENBLAS
LDLIBS += $(shell pkg-config --libs openblas)
endif
ifeq ($(WERROR),1)
CFLAGS += -Werror
endif
ifeq ($(SANITIZE),1)
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS  += $(SANFLAGS)
LDFLAGS += $(SANFLAGS)
endif

.PHONY: all deps test tour lesson check watch hint bench bench-compare fuzz clean
.DEFAULT_GOAL := all

# Build steps are quiet: one short line each ("  CC lib/kernels/ops.c", by
# tools/quiet.sh), with the full command and the compiler's output only when
# it fails (and its warnings when it does not); make -s drops the short
# lines too. V=1 shows every command as make runs it.
ifeq ($(V),1)
Q :=
else
# (The last $(if) is one space that editors cannot strip.)
Q = @$(if $(findstring s,$(firstword -$(MAKEFLAGS))),QUIET=silent )tools/quiet.sh$(if ,, )
endif

# ---------------------------------------------------------------- the library
LIB_SRC := $(sort $(wildcard lib/*/*.c))
LIB_HDR := $(sort $(wildcard lib/*.h lib/*/*.h))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/libgansteps.a

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -Ilib -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

-include $(LIB_OBJ:.o=.d)

# ---------------------------------------------------------------- the holes
# The exercises are functions the library declares and calls on its normal
# path (nn_linear_backward, nn_gan_step, ...), defined once per build: by
# solutions/NN_name.c (the default) or by the student's exercises/NN_name.c
# (USE=exercises). Each set is an archive, linked in one group with the
# library because each side calls the other.
EX_NAMES := $(filter $(patsubst tests/exercise_%.c,%,$(wildcard tests/exercise_[0-9][0-9]_*.c)),\
              $(patsubst solutions/%.c,%,$(sort $(wildcard solutions/[0-9][0-9]_*.c))))
HOLES_solutions := $(BUILD)/holes/libholes_solutions.a
HOLES_exercises := $(BUILD)/holes/libholes_exercises.a
HOLE_OBJ_solutions := $(EX_NAMES:%=$(BUILD)/solutions/%.o)
HOLE_OBJ_exercises := $(EX_NAMES:%=$(BUILD)/exercises/%.o)
# The library with the holes of one set: what every program links.
LINK_solutions := -Wl,--start-group $(LIB) $(HOLES_solutions) -Wl,--end-group
LINK_exercises := -Wl,--start-group $(LIB) $(HOLES_exercises) -Wl,--end-group

# Each set also says which it is (lesson_code_source: lessons report it).
$(BUILD)/holes/%/code_source.c:
	@mkdir -p $(dir $@)
	@printf 'const char *const lesson_code_source = "%s";\n' $* > $@
$(BUILD)/holes/%/code_source.o: $(BUILD)/holes/%/code_source.c
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(HOLES_solutions): $(HOLE_OBJ_solutions) $(BUILD)/holes/solutions/code_source.o
	@mkdir -p $(dir $@)
	@rm -f $@
	$(Q)ar rcs $@ $^
$(HOLES_exercises): $(HOLE_OBJ_exercises) $(BUILD)/holes/exercises/code_source.o
	@mkdir -p $(dir $@)
	@rm -f $@
	$(Q)ar rcs $@ $^

-include $(HOLE_OBJ_solutions:.o=.d) $(HOLE_OBJ_exercises:.o=.d)

# ---------------------------------------------------------------- library tests
# Every tests/test_*.c is one cmocka suite linked against the library, with
# the course's answers in its holes.
TEST_SRC  := $(sort $(wildcard tests/test_*.c))
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/%.o)
TEST_HELP := $(BUILD)/tests/testutil.o

$(BUILD)/tests/testutil.o: tests/testutil.c tests/testutil.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -Ilib -Itests -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -Ilib -Itests -Ilessons/frame -Ilessons/course -MMD -MP -c $< -o $@

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TEST_HELP) $(LIB) $(HOLES_solutions)
	$(Q)$(CC) $(LDFLAGS) $(filter %.o,$^) $(LINK_solutions) $(CMOCKA) $(LDLIBS) -o $@

-include $(TEST_OBJ:.o=.d)

# ---------------------------------------------------------------- exercises
# Exercise NN_name is solutions/NN_name.c (the answer), exercises/NN_name.c
# (the student's stub), tests/exercise_NN_name.c (its cmocka test) and
# exercises/hints/NN.txt. Each exercise test is linked three ways: against
# the solutions (must pass), against the student's exercises/ (make check),
# and as "stub": the one stub of exercises/ linked first, the other holes
# from the solutions (must fail while the stub is untouched: proves the test
# catches it).

# The student's objects: a compile that fails leaves no object behind (not
# even an older one), so make check sees which exercises do not compile.
$(HOLE_OBJ_exercises): $(BUILD)/exercises/%.o: exercises/%.c
	@mkdir -p $(dir $@)
	@rm -f $@
	$(Q)$(CC) $(CFLAGS) -Ilib -MMD -MP -c $< -o $@

EX_BIN_solutions := $(EX_NAMES:%=$(BUILD)/extest/solutions/exercise_%)
EX_BIN_stub      := $(EX_NAMES:%=$(BUILD)/extest/stub/exercise_%)

$(BUILD)/extest/solutions/exercise_%: $(BUILD)/tests/exercise_%.o $(TEST_HELP) $(LIB) \
		$(HOLES_solutions)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) $(filter %.o,$^) $(LINK_solutions) $(CMOCKA) $(LDLIBS) -o $@
$(BUILD)/extest/stub/exercise_%: $(BUILD)/tests/exercise_%.o $(BUILD)/exercises/%.o \
		$(TEST_HELP) $(LIB) $(HOLES_solutions)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) $(filter %.o,$^) $(LINK_solutions) $(CMOCKA) $(LDLIBS) -o $@

# The course's shared code (lessons/course/) has its own test, against the
# solutions.
COURSE_TEST := $(BUILD)/extest/course_gan
$(COURSE_TEST): $(BUILD)/tests/course_gan.o $(TEST_HELP) $(BUILD)/lessons/libframe.a $(LIB) \
		$(HOLES_solutions)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) $(filter %.o %/libframe.a,$^) $(LINK_solutions) $(CMOCKA) $(LDLIBS) -o $@

# Reached only through pattern rules: keep them, or make deletes and rebuilds them.
# (the library tests' objects too: their deletion would print an "rm" line
# after make test's summary).
.SECONDARY: $(EX_NAMES:%=$(BUILD)/tests/exercise_%.o) $(BUILD)/tests/course_gan.o $(TEST_OBJ) \
	$(HOLE_OBJ_solutions) $(HOLE_OBJ_exercises) \
	$(BUILD)/holes/solutions/code_source.o $(BUILD)/holes/exercises/code_source.o \
	$(BUILD)/holes/solutions/code_source.c $(BUILD)/holes/exercises/code_source.c

-include $(EX_NAMES:%=$(BUILD)/tests/exercise_%.d) $(BUILD)/tests/course_gan.d

all: $(EX_BIN_solutions) $(EX_BIN_stub) $(COURSE_TEST)

# ---------------------------------------------------------------- check, grade, watch, hint
# make check [EX=n or EX=a-b]: the progress table of your exercises (one of
# them: in full, with what remains). Each exercise's test is linked with
# your object for that exercise alone and the course's answers for every
# other hole (the stub rule above, on your current object), so a row is
# about its own exercise: a crash or a loop in exercise 3 is row 3's, not
# that of every test that calls nn_linear_forward. The lessons, by contrast,
# run all of your code (USE=exercises). tools/exercises.sh builds each
# student object on its own (make -k): one that does not compile, or a test
# that does not link, is that row's failure, with the compiler's message.
# A test that crashes says so, with the signal (and your function, where a
# sanitizer's backtrace names it); one that runs past its budget (a few
# times the course answer's own run, measured) is stopped, and the table
# goes on.
#
# A failing exercise is a student's progress, not a build error: make check
# prints the table and exits 0 whatever it shows, without make's "***"
# line. With STRICT=1 it fails when one does not pass: make then prints its
# "***" line and exits 2, as for any failed target. A bad EX exits 2 too,
# with one line saying why.
#
# make grade [EX=n or EX=a-b]: the grader's view of the same tests: the
# table, a score line ("19 of 32 exercises pass"), a JUnit report (one test
# case per exercise, the test's message as the failure text) in
# $(GRADE_XML), and exit status 2 (make's) while any exercise in the range
# fails, 0 when all pass.
#
# make watch: the table again each time an exercise is saved (inotifywait if
# installed, else a check every second), then which lessons now run on the
# exercises that pass (exercises/lessons.txt). Ctrl-C stops; WATCH_MAX=n
# stops after n rechecks (tools/check_tests.sh uses it).
CHECK_DIR    := $(BUILD)/check
GRADE_XML    ?= plots/grade.xml
# What every check needs and that is the course's, not the student's: built
# (quietly) before the table, so a course bug is not a student's row. The
# answers' own test binaries give each test its time budget.
CHECK_PREREQ := $(HOLE_OBJ_solutions) $(HOLES_solutions) $(EX_BIN_solutions) \
                $(EX_NAMES:%=$(BUILD)/tests/exercise_%.o) $(TEST_HELP) $(LIB)
ex_num        = $(patsubst 0%,%,$(firstword $(subst _, ,$1)))
EX_ENV        = EX_NAMES="$(EX_NAMES)" EX_SOURCES="$(EX_NAMES:%=exercises/%.c)" MAKE="$(MAKE)"

# Removed first: a test that does not link leaves no binary behind.
$(CHECK_DIR)/exercise_%: $(BUILD)/tests/exercise_%.o $(BUILD)/exercises/%.o $(TEST_HELP) \
		$(LIB) $(HOLES_solutions)
	@rm -f $@
	$(Q)$(CC) $(LDFLAGS) $(filter %.o,$^) $(LINK_solutions) $(CMOCKA) $(LDLIBS) -o $@

.PHONY: check-prereq grade
check-prereq: $(CHECK_PREREQ)
	@:

# The EX is checked before anything is built (exercises.sh pick).
check:
	@$(EX_ENV) tools/exercises.sh pick $(BUILD) "$(EX)" check >/dev/null
	@$(MAKE) --no-print-directory check-prereq
	@$(EX_ENV) STRICT=$(STRICT) tools/exercises.sh check $(BUILD) "$(EX)"

grade:
	@$(EX_ENV) tools/exercises.sh pick $(BUILD) "$(EX)" grade >/dev/null
	@$(MAKE) --no-print-directory check-prereq
	@$(EX_ENV) GRADE_XML="$(GRADE_XML)" tools/exercises.sh grade $(BUILD) "$(EX)"

watch:
	@$(MAKE) --no-print-directory check-prereq
	@$(EX_ENV) tools/exercises.sh watch $(BUILD)

hint:
	@$(EX_ENV) tools/exercises.sh hint $(BUILD) $(EX)

# Part of make test: the promises above (tools/check_tests.sh), in a scratch
# copy of the project and of $(BUILD). After the command-line checks, so the
# reports do not interleave and nothing writes $(BUILD) while it is copied.
.PHONY: run-check-tests
run-tests: run-check-tests
# (python3 reads make grade's JUnit report back, as a CI grader would.)
run-check-tests: $(EX_BIN_solutions) $(EX_BIN_stub) | run-cli-tests
	@tools/deps.sh python3
	@MAKE="$(MAKE)" tools/check_tests.sh $(BUILD) SANITIZE=$(SANITIZE) WERROR=$(WERROR) CC=$(CC)

# Part of make test: every answer passes its test, every untouched stub fails.
.PHONY: run-exercise-tests
run-tests: run-exercise-tests
run-exercise-tests: $(EX_BIN_solutions) $(EX_BIN_stub) $(COURSE_TEST) | run-lib-tests
	@tools/run_tests.sh $(COURSE_TEST)
	@LESSON_NAMES="$(LESSON_NAMES)" tools/exercises.sh prove $(BUILD) $(EX_NAMES)

# ---------------------------------------------------------------- lessons
# Each lessons/NN_topic.c is one program, linked with: its own source embedded
# by tools/embed (the code cells it shows), the lesson frame and the course's
# shared code (lessons/frame/, lessons/course/; lib/'s headers and tools/deps.sh
# embedded for lesson 01), and the library with the holes of $(USE):
# solutions/ by default, the student's exercises/ with USE=exercises.
# Binaries: $(BUILD)/lessons/$(USE)/NN_topic.
ifeq ($(filter solutions exercises,$(USE)),)
$(error USE=$(USE): use USE=solutions (the default) or USE=exercises)
endif
LESSON_SRC   := $(sort $(wildcard lessons/[0-9][0-9]_*.c))
LESSON_NAMES := $(LESSON_SRC:lessons/%.c=%)
LESSON_DIR   := $(BUILD)/lessons
LESSON_BIN   := $(LESSON_NAMES:%=$(LESSON_DIR)/$(USE)/%)
LESSON_OBJ   := $(LESSON_NAMES:%=$(LESSON_DIR)/%.o)
FRAME_SRC    := $(sort $(wildcard lessons/frame/*.c lessons/course/*.c))
FRAME_OBJ    := $(FRAME_SRC:lessons/%.c=$(LESSON_DIR)/%.o) $(LESSON_DIR)/src/project_files.o \
                $(LESSON_DIR)/src/exercise_needs.o $(LESSON_DIR)/src/book_embedded.o
FRAME_LIB    := $(LESSON_DIR)/libframe.a
EMBED        := $(BUILD)/tools/embed
LESSON_INC   := -Ilib -Ilessons/frame -Ilessons/course

$(EMBED): tools/embed.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $< -o $@

$(LESSON_NAMES:%=$(LESSON_DIR)/src/%.c): $(LESSON_DIR)/src/%.c: lessons/%.c $(EMBED)
	@mkdir -p $(dir $@)
	$(Q)$(EMBED) lesson_source $@ $<

$(LESSON_DIR)/src/project_files.c: $(LIB_HDR) tools/deps.sh $(EMBED)
	@mkdir -p $(dir $@)
	$(Q)$(EMBED) -m lesson_project_files $@ $(LIB_HDR) tools/deps.sh

# The course book's embedded files: the README's lesson table (the index's
# questions; a partial copy of the project without it still builds, its index
# listing the runs alone), its stylesheet and its script (lessons/frame/book.h).
BOOK_FILES := $(wildcard README.md) tools/book/book.css tools/book/book.js
$(LESSON_DIR)/src/book_embedded.c: $(BOOK_FILES) $(EMBED)
	@mkdir -p $(dir $@)
	$(Q)$(EMBED) -m book_embedded $@ $(BOOK_FILES)

# Which exercises each lesson runs, from exercises/lessons.txt (the one list
# make watch reads too): a lesson on the student's code probes them first.
$(LESSON_DIR)/src/exercise_needs.c: exercises/lessons.txt tools/gen_exercise_needs.sh
	@mkdir -p $(dir $@)
	$(Q)tools/gen_exercise_needs.sh $< $@

$(LESSON_DIR)/src/%.o: $(LESSON_DIR)/src/%.c
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LESSON_OBJ): $(LESSON_DIR)/%.o: lessons/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LESSON_INC) -MMD -MP -c $< -o $@

$(FRAME_SRC:lessons/%.c=$(LESSON_DIR)/%.o): $(LESSON_DIR)/%.o: lessons/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) $(LESSON_INC) -MMD -MP -c $< -o $@

$(FRAME_LIB): $(FRAME_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

# make check's word on which lessons run on the student's code comes from
# the lessons' own probes (lessons/frame/exercise_probe.c), linked with the
# student's exercises as a lesson is (tools/exercise_probe_main.c).
PROBE_TOOL := $(BUILD)/check/exercise_probe
$(BUILD)/tools/exercise_probe_main.o: tools/exercise_probe_main.c lessons/frame/exercise_probe.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -Ilessons/frame -c $< -o $@
$(PROBE_TOOL): $(BUILD)/tools/exercise_probe_main.o $(LESSON_DIR)/frame/exercise_probe.o \
		$(LESSON_DIR)/src/exercise_needs.o $(LIB) $(HOLES_exercises)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(Q)$(CC) $(LDFLAGS) $(filter %.o,$^) $(LINK_exercises) $(LDLIBS) -o $@

# Both sets have their rules, whatever USE is: make test runs lesson 06 on
# the stubs too (tools/exercise_path_test.sh).
$(LESSON_NAMES:%=$(LESSON_DIR)/solutions/%): $(LESSON_DIR)/solutions/%: $(LESSON_DIR)/%.o \
		$(LESSON_DIR)/src/%.o $(FRAME_LIB) $(LIB) $(HOLES_solutions)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) $(filter %.o %/libframe.a,$^) $(LINK_solutions) $(LDLIBS) -o $@
$(LESSON_NAMES:%=$(LESSON_DIR)/exercises/%): $(LESSON_DIR)/exercises/%: $(LESSON_DIR)/%.o \
		$(LESSON_DIR)/src/%.o $(FRAME_LIB) $(LIB) $(HOLES_exercises)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) $(filter %.o %/libframe.a,$^) $(LINK_exercises) $(LDLIBS) -o $@

-include $(LESSON_OBJ:.o=.d) $(FRAME_OBJ:.o=.d)

# `make lesson N=6` (or N=06): build and run one lesson with ARGS.
LESSON_N   := $(if $(filter 1 2 3 4 5 6 7 8 9,$(N)),0$(N),$(N))
LESSON_ONE := $(filter $(LESSON_DIR)/$(USE)/$(LESSON_N)_%,$(LESSON_BIN))

.PHONY: lessons build-lesson run-tour run-lesson-tests
lessons: $(LESSON_BIN)

# The lesson runs in this recipe, not in a sub-make: after a lesson's
# one-line refusal make adds only its own "make: *** [...: lesson] Error 2"
# (GNU make prints one for any failing recipe, and make lesson must fail),
# not one line per make level. Its exit status is make's: 2.
lesson:
	@$(if $(LESSON_BAD),echo "$(LESSON_BAD)" >&2; exit 2)
	@tools/deps.sh
	@$(MAKE) --no-print-directory build-lesson
	@$(LESSON_ONE) $(ARGS)

# Without N, or with one that is not a lesson: one line naming them, exit 2
# (checked before deps and the build).
LESSON_LIST = $(subst =, ,$(subst $(if ,, ),$(comma) ,$(strip $(foreach l,$(LESSON_NAMES),\
                $(call ex_num,$l)=$(patsubst $(firstword $(subst _, ,$l))_%,%,$l)))))
LESSON_BAD  = $(if $(N),$(if $(LESSON_ONE),,make lesson: no lesson N=$(N); the lessons are \
                $(LESSON_LIST)),make lesson: say which lesson$(comma) e.g. make lesson N=6; \
                the lessons are $(LESSON_LIST))
comma := ,
build-lesson: $(LESSON_ONE)
	@:

# `make tour`: every lesson in order, stopping at the first that fails.
tour: deps
	@$(MAKE) --no-print-directory run-tour

run-tour: $(LESSON_BIN)
	@for b in $(LESSON_BIN); do $$b $(ARGS) || exit $$?; done

# Smoke tests: each lesson with --fast --no-pause into a scratch folder.
run-tests: run-lesson-tests
run-lesson-tests: $(LESSON_BIN)
	@tools/run_lessons.sh $(LESSON_BIN)

all: $(LESSON_BIN)

# The student's path: lesson 06 on the untouched stubs stops, naming the
# exercise; a copy whose exercises/ hold the answers trains lessons 06, 08
# and 09 to the same summary.tsv as the solutions build.
.PHONY: run-exercise-path-test
run-tests: run-exercise-path-test
run-exercise-path-test: $(LESSON_DIR)/exercises/06_training \
		$(filter $(LESSON_DIR)/solutions/0[689]_%,$(LESSON_NAMES:%=$(LESSON_DIR)/solutions/%)) \
		| run-lesson-tests
	@tools/exercise_path_test.sh $(BUILD)

# ---------------------------------------------------------------- the course book
# `make book`: every run under plots/ as a page (plots/NN_topic/index.html,
# beside its figures) and a notebook (lesson.ipynb), and the course's index,
# plots/index.html (tools/book/book.c, lessons/frame/book.h). Each lesson run
# refreshes its own page and the index too.
BOOK_BIN := $(BUILD)/tools/book
$(BOOK_BIN): $(BUILD)/tools/book.o $(FRAME_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@
$(BUILD)/tools/book.o: tools/book/book.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -Ilessons/frame -MMD -MP -c $< -o $@
-include $(BUILD)/tools/book.d

.PHONY: book run-book run-book-tests
book:
	@tools/deps.sh
	@$(MAKE) --no-print-directory run-book
run-book: $(BOOK_BIN)
	@$(BOOK_BIN) plots
all: $(BOOK_BIN)

# The book's text tools have a cmocka suite of their own, linked with the frame.
$(BUILD)/tests/test_book: $(BUILD)/tests/test_book.o $(TEST_HELP) $(FRAME_LIB) $(LIB) \
		$(HOLES_solutions)
	$(Q)$(CC) $(LDFLAGS) $(filter %.o %/libframe.a,$^) $(LINK_solutions) $(CMOCKA) $(LDLIBS) -o $@

# Part of make test: lessons' pages loaded in headless Chromium (no console
# error, every image decoded, the maths typeset, the contents bar's links
# land), planted broken pages caught, every lesson.ipynb valid for nbformat
# (tools/book_test.sh; a screenshot stays in $(BUILD)/book-test/). After the
# checks that copy $(BUILD), which must not change while they copy it.
run-tests: run-book-tests
BOOK_YOURS := $(LESSON_DIR)/exercises/$(filter 01_%,$(LESSON_NAMES))
run-book-tests: $(BOOK_BIN) $(LESSON_BIN) $(BOOK_YOURS) | run-cli-tests run-check-tests
	@tools/book_test.sh $(BUILD) $(BOOK_BIN) $(BOOK_YOURS) $(LESSON_BIN)

# ---------------------------------------------------------------- command-line checks
# Part of make test: every lesson's promises on bad input (tools/cli_tests.sh):
# a bad flag or value, or a bad --data folder, gives one line on stderr and
# exit status 2, with no --out folder left half-written, and a refused run
# leaves the last run's files byte-identical (lessons 15 and 19 on the
# untouched stubs among the cases, hence their USE=exercises binaries).
# After the smoke tests, so the two reports do not interleave under -j.
.PHONY: run-cli-tests
run-tests: run-cli-tests
run-cli-tests: $(LESSON_BIN) $(LESSON_DIR)/exercises/15_cyclegan \
		$(LESSON_DIR)/exercises/19_image_to_image | run-lesson-tests
	@tools/cli_tests.sh $(LESSON_BIN)

# `make valgrind`: every lesson with --fast --no-pause under valgrind's memcheck
# (tools/valgrind_lessons.sh; full logs in $(BUILD)/valgrind/). Not part of
# make test. Always a build without sanitizers: ASan and valgrind do not mix.
.PHONY: valgrind
ifeq ($(SANITIZE),1)
valgrind:
	@$(MAKE) --no-print-directory SANITIZE=0 BUILD=build/default $@
else
valgrind: $(LESSON_BIN)
	@command -v valgrind >/dev/null 2>&1 || tools/deps.sh valgrind
	@nice tools/valgrind_lessons.sh $(BUILD)/valgrind $(LESSON_BIN)
endif


# ---------------------------------------------------------------- targets
all: $(LIB) $(TEST_BIN)

deps:
	@tools/deps.sh

# `make test` installs first, then re-reads this Makefile in a fresh make, so
# pkg-config sees the libraries that were just installed.
test: deps
	@$(MAKE) --no-print-directory run-tests

.PHONY: run-tests run-lib-tests
run-tests: run-lib-tests

run-lib-tests: $(TEST_BIN)
	@tools/run_tests.sh $(TEST_BIN)

# Part of make test: lib/'s layers run one way (tools/check_layers.sh): no
# file includes a header from a layer above its own, and the check itself
# catches one planted in a scratch copy.
.PHONY: run-layer-check
run-tests: run-layer-check
run-layer-check:
	@tools/check_layers.sh --self-test

# ---------------------------------------------------------------- fuzzing
# `make fuzz` builds the libFuzzer targets for both file readers with clang,
# the IDX reader (tests/fuzz/fuzz_idx.c) and the checkpoint reader
# (tests/fuzz/fuzz_checkpoint.c), and runs each for FUZZ_SECONDS on a corpus
# of its own that grows under build/fuzz/corpus/ (seeded from tests/fuzz/seeds).
# `make fuzz-idx` or `make fuzz-checkpoint` runs one. `make fuzz-seeds`
# rewrites the checkpoint seeds, needed when the checkpoint format changes.
# Not part of `make test`.
FUZZ_SECONDS ?= 600
FUZZ_DIR     := build/fuzz
FUZZ_CC      := clang -std=c11 -g -O1 -Wall -Wextra -Wshadow -D_POSIX_C_SOURCE=200809L \
                -fno-sanitize-recover=all -Ilib
FUZZ_RUN     := -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -rss_limit_mb=2048
FUZZ_IDX     := $(FUZZ_DIR)/fuzz_idx
FUZZ_CKPT    := $(FUZZ_DIR)/fuzz_checkpoint
# What nn_model_load needs: the model and everything its layers call.
# The checkpoint reader fills a model: the library and its holes' answers.
FUZZ_CKPT_SRC := $(LIB_SRC) $(EX_NAMES:%=solutions/%.c)

$(FUZZ_IDX): tests/fuzz/fuzz_idx.c lib/data/idx.c lib/base/common.c lib/data/idx.h lib/base/common.h
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined tests/fuzz/fuzz_idx.c lib/data/idx.c lib/base/common.c \
	  -lz -o $@

$(FUZZ_CKPT): tests/fuzz/fuzz_checkpoint.c $(FUZZ_CKPT_SRC) $(LIB_HDR)
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined tests/fuzz/fuzz_checkpoint.c $(FUZZ_CKPT_SRC) \
	  $(LDLIBS) -o $@

$(FUZZ_DIR)/write_checkpoint_seeds: tests/fuzz/fuzz_checkpoint.c $(FUZZ_CKPT_SRC) $(LIB_HDR)
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) -fsanitize=address,undefined -DFUZZ_CHECKPOINT_WRITE_SEEDS \
	  tests/fuzz/fuzz_checkpoint.c $(FUZZ_CKPT_SRC) $(LDLIBS) -o $@

.PHONY: fuzz-idx fuzz-checkpoint fuzz-seeds
fuzz: fuzz-idx fuzz-checkpoint

fuzz-idx: $(FUZZ_IDX)
	@mkdir -p $(FUZZ_DIR)/corpus/idx
	$(FUZZ_IDX) $(FUZZ_RUN) $(FUZZ_DIR)/corpus/idx tests/fuzz/seeds

fuzz-checkpoint: $(FUZZ_CKPT)
	@mkdir -p $(FUZZ_DIR)/corpus/checkpoint
	$(FUZZ_CKPT) $(FUZZ_RUN) $(FUZZ_DIR)/corpus/checkpoint tests/fuzz/seeds

fuzz-seeds: $(FUZZ_DIR)/write_checkpoint_seeds
	$(FUZZ_DIR)/write_checkpoint_seeds tests/fuzz/seeds

# ---------------------------------------------------------------- benchmark
# `make bench`: the MLP GAN step (bench/mlp_gan.c) at 1 and 2 threads with the
# machine's GEMM peak, the reference loops for comparison, lesson 06's
# default run and one epoch of lesson 10's (wall time, peak RSS). `make bench-compare` adds PyTorch
# (../shared/reference/torch_ref.py) and the ratio. Always an optimised build
# without sanitizers: timings under ASan mean nothing.
BENCH_DIR     := $(BUILD)/bench
BENCH_BIN     := $(BENCH_DIR)/mlp_gan $(BENCH_DIR)/runstat
BENCH_LESSON  = $(filter $(LESSON_DIR)/solutions/$(1)_%,$(LESSON_NAMES:%=$(LESSON_DIR)/solutions/%))

$(BENCH_DIR)/mlp_gan: bench/mlp_gan.c $(LIB) $(HOLES_solutions)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib $(LDFLAGS) $< $(LINK_solutions) $(LDLIBS) -o $@

# `make bench-conv`: the DCGAN's four convolutions, forward and backward, fast
# and plain, at 1 and 2 threads (bench/conv_shapes.c).
$(BENCH_DIR)/conv_shapes: bench/conv_shapes.c $(LIB) $(HOLES_solutions)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib $(LDFLAGS) $< $(LINK_solutions) $(LDLIBS) -o $@

$(BENCH_DIR)/runstat: bench/runstat.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $< -o $@

.PHONY: run-bench bench-conv
ifeq ($(SANITIZE),1)
bench bench-compare bench-conv:
	@$(MAKE) --no-print-directory SANITIZE=0 BUILD=build/default $@
else
bench: $(BENCH_BIN)
	@$(MAKE) --no-print-directory run-bench

bench-conv: $(BENCH_DIR)/conv_shapes
	@for t in 1 2; do $(BENCH_DIR)/conv_shapes --threads $$t || exit 1; done
	@$(BENCH_DIR)/conv_shapes --threads 1 --kernel reference --reps 1 --rounds 1 --warmup 0

bench-compare: $(BENCH_BIN)
	@[ -f ../shared/reference/torch_ref.py ] && tools/deps.sh python3-torch; true
	@$(MAKE) --no-print-directory run-bench BENCH_MODE=compare
endif

# The lesson is built here, not as a prerequisite, so a lesson that does not
# build yet is reported and skipped instead of stopping the benchmark.
run-bench: $(BENCH_BIN)
	@L6='$(call BENCH_LESSON,06)'; L10='$(call BENCH_LESSON,10)'; \
	if [ -n "$$L6" ] && ! $(MAKE) --no-print-directory USE=solutions $$L6 \
	    >$(BENCH_DIR)/lesson06_build.log 2>&1; then L6=build-failed; fi; \
	if [ -n "$$L10" ] && ! $(MAKE) --no-print-directory USE=solutions $$L10 \
	    >$(BENCH_DIR)/lesson10_build.log 2>&1; then L10=build-failed; fi; \
	bench/run.sh $(BENCH_DIR) "$$L6" "$$L10" $(BENCH_MODE)

clean:
	rm -rf build
