# gansteps - one entry point.
#   make              library, tests, lessons
#   make test         install what is missing, build, run every test
#   make tour         install what is missing, run the lessons in order
#   make lesson N=6   run one lesson (USE=exercises: on your own code)
#   make check        your exercises' progress table (EX=3: one of them)
#   make hint EX=3    the hint for exercise 3
#   make bench        speed and memory of the GAN training step
# Options: SANITIZE=1 (ASan + UBSan), WERROR=1, CC=clang, ARGS="..." for lessons.

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

# -O3 lets gcc vectorise the element-wise loops (bias, activations, Adam):
# a toy GAN step runs 22% faster than at -O2, with the same numbers (no
# reassociation of float sums is allowed without -ffast-math).
CFLAGS  = -std=c11 -Wall -Wextra -Wshadow -O3 -g -D_POSIX_C_SOURCE=200809L
CFLAGS += $(shell pkg-config --cflags libpng zlib cmocka 2>/dev/null)
LDLIBS  = $(shell pkg-config --libs libpng zlib 2>/dev/null) -lm -lpthread
CMOCKA  = $(shell pkg-config --libs cmocka 2>/dev/null)
# The fast matmul path uses OpenBLAS when pkg-config finds it (lib/ops_fast.c);
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

.PHONY: all deps test tour lesson check hint bench bench-compare fuzz clean
.DEFAULT_GOAL := all

# ---------------------------------------------------------------- the library
LIB_SRC := $(sort $(wildcard lib/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB     := $(BUILD)/libgansteps.a

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

-include $(LIB_OBJ:.o=.d)

# ---------------------------------------------------------------- library tests
# Every tests/test_*.c is one cmocka suite linked against the library.
TEST_SRC  := $(sort $(wildcard tests/test_*.c))
TEST_BIN  := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_OBJ  := $(TEST_SRC:%.c=$(BUILD)/%.o)
TEST_HELP := $(BUILD)/tests/testutil.o

$(BUILD)/tests/testutil.o: tests/testutil.c tests/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -Itests -c $< -o $@

$(BUILD)/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib -Itests -MMD -MP -c $< -o $@

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TEST_HELP) $(LIB)
	$(CC) $(LDFLAGS) $^ $(CMOCKA) $(LDLIBS) -o $@

-include $(TEST_OBJ:.o=.d)

# ---------------------------------------------------------------- exercises
# Exercise NN_name is solutions/NN_name.c (the answer), exercises/NN_name.c
# (the student's stub), tests/exercise_NN_name.c (its cmocka test) and
# exercises/hints/NN.txt. The course library is the exercise functions plus
# lessons/gan.c, built from solutions/ or from exercises/:
# $(COURSE_LIB_solutions), $(COURSE_LIB_exercises); lessons link $(COURSE_LIB_$(USE)).
EX_NAMES   := $(filter $(patsubst tests/exercise_%.c,%,$(wildcard tests/exercise_[0-9][0-9]_*.c)),\
                $(patsubst solutions/%.c,%,$(sort $(wildcard solutions/[0-9][0-9]_*.c))))
EX_SOL_OBJ := $(EX_NAMES:%=$(BUILD)/solutions/%.o)
EX_STB_OBJ := $(EX_NAMES:%=$(BUILD)/exercises/%.o)
GAN_OBJ    := $(BUILD)/lessons/gan.o
COURSE_LIB_solutions := $(BUILD)/course/libcourse_solutions.a
COURSE_LIB_exercises := $(BUILD)/course/libcourse_exercises.a
COURSE_CFLAGS := -Iexercises -Ilessons

$(EX_SOL_OBJ) $(EX_STB_OBJ) $(GAN_OBJ): CFLAGS += $(COURSE_CFLAGS)
$(BUILD)/tests/exercise_%.o: CFLAGS += $(COURSE_CFLAGS)

$(COURSE_LIB_solutions): $(EX_SOL_OBJ) $(GAN_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	ar rcs $@ $^
$(COURSE_LIB_exercises): $(EX_STB_OBJ) $(GAN_OBJ)
	@mkdir -p $(dir $@)
	@rm -f $@
	ar rcs $@ $^

# Each exercise test is linked three ways: against the solutions (must pass),
# against the student's exercises/ (make check), and as "stub": the one stub
# of exercises/ linked first, the other answers from the solutions library
# (must fail while the stub is untouched: proves the test catches it).
EX_BIN_solutions := $(EX_NAMES:%=$(BUILD)/extest/solutions/exercise_%)
EX_BIN_exercises := $(EX_NAMES:%=$(BUILD)/extest/exercises/exercise_%)
EX_BIN_stub      := $(EX_NAMES:%=$(BUILD)/extest/stub/exercise_%)

$(BUILD)/extest/solutions/exercise_%: $(BUILD)/tests/exercise_%.o $(COURSE_LIB_solutions) \
		$(TEST_HELP) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(CMOCKA) $(LDLIBS) -o $@
$(BUILD)/extest/exercises/exercise_%: $(BUILD)/tests/exercise_%.o $(COURSE_LIB_exercises) \
		$(TEST_HELP) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(CMOCKA) $(LDLIBS) -o $@
$(BUILD)/extest/stub/exercise_%: $(BUILD)/tests/exercise_%.o $(BUILD)/exercises/%.o \
		$(COURSE_LIB_solutions) $(TEST_HELP) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(CMOCKA) $(LDLIBS) -o $@

# lessons/gan.c's own test, against the solutions.
COURSE_TEST := $(BUILD)/extest/course_gan
$(BUILD)/tests/course_gan.o: CFLAGS += $(COURSE_CFLAGS)
$(COURSE_TEST): $(BUILD)/tests/course_gan.o $(COURSE_LIB_solutions) $(TEST_HELP) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(CMOCKA) $(LDLIBS) -o $@

# Reached only through pattern rules: keep them, or make deletes and rebuilds them.
# (the library tests' objects too: their deletion would print an "rm" line
# after make test's summary).
.SECONDARY: $(EX_NAMES:%=$(BUILD)/tests/exercise_%.o) $(BUILD)/tests/course_gan.o $(TEST_OBJ)

-include $(EX_SOL_OBJ:.o=.d) $(EX_STB_OBJ:.o=.d) $(GAN_OBJ:.o=.d) \
	$(EX_NAMES:%=$(BUILD)/tests/exercise_%.d) $(BUILD)/tests/course_gan.d

all: $(EX_BIN_solutions) $(EX_BIN_stub) $(COURSE_TEST)

# make check [EX=n]: the progress table of your exercises (or one, in full).
EX_PICK = $(if $(EX),$(filter $(EX)_% 0$(EX)_%,$(EX_NAMES)),$(EX_NAMES))
check:
	@$(if $(EX),$(if $(EX_PICK),,echo "make check: no exercise $(EX) (there are $(words $(EX_NAMES)): make check)"; exit 2;))
	@$(MAKE) -s --no-print-directory $(EX_PICK:%=$(BUILD)/extest/exercises/exercise_%)
	@tools/exercises.sh check $(BUILD) $(EX_PICK)

hint:
	@tools/exercises.sh hint $(BUILD) $(EX)

# Part of make test: every answer passes its test, every untouched stub fails.
.PHONY: run-exercise-tests
run-tests: run-exercise-tests
run-exercise-tests: $(EX_BIN_solutions) $(EX_BIN_stub) $(COURSE_TEST) | run-lib-tests
	@tools/run_tests.sh $(COURSE_TEST)
	@tools/exercises.sh prove $(BUILD) $(EX_NAMES)

# ---------------------------------------------------------------- lessons
# Each lessons/NN_topic.c is one program, linked with: its own source embedded
# by tools/embed (the code cells it shows), the lesson frame (lessons/*.c that
# are not numbered, but gan.c: lesson.c, toygan.c, ...; lib/*.h and
# tools/deps.sh embedded for lesson 01), the course library of the exercises
# section (solutions/ by default, exercises/ with USE=exercises, plus gan.c),
# and the library. Binaries: $(BUILD)/lessons/$(USE)/NN_topic.
ifeq ($(filter solutions exercises,$(USE)),)
$(error USE=$(USE): use USE=solutions (the default) or USE=exercises)
endif
LESSON_SRC   := $(sort $(wildcard lessons/[0-9][0-9]_*.c))
LESSON_NAMES := $(LESSON_SRC:lessons/%.c=%)
LESSON_DIR   := $(BUILD)/lessons
LESSON_BIN   := $(LESSON_NAMES:%=$(LESSON_DIR)/$(USE)/%)
LESSON_OBJ   := $(LESSON_NAMES:%=$(LESSON_DIR)/%.o)
FRAME_SRC    := $(filter-out $(LESSON_SRC) lessons/gan.c,$(sort $(wildcard lessons/*.c)))
FRAME_OBJ    := $(FRAME_SRC:lessons/%.c=$(LESSON_DIR)/frame/%.o) $(LESSON_DIR)/src/project_files.o
FRAME_LIB    := $(LESSON_DIR)/libframe.a
COURSE_LIB   := $(COURSE_LIB_$(USE))
EMBED        := $(BUILD)/tools/embed
LESSON_INC   := -Ilib -Iexercises -Ilessons

$(EMBED): tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $< -o $@

$(LESSON_NAMES:%=$(LESSON_DIR)/src/%.c): $(LESSON_DIR)/src/%.c: lessons/%.c $(EMBED)
	@mkdir -p $(dir $@)
	$(EMBED) lesson_source $@ $<

$(LESSON_DIR)/src/project_files.c: $(wildcard lib/*.h) tools/deps.sh $(EMBED)
	@mkdir -p $(dir $@)
	$(EMBED) -m lesson_project_files $@ $(sort $(wildcard lib/*.h)) tools/deps.sh

$(LESSON_DIR)/src/%.o: $(LESSON_DIR)/src/%.c
	$(CC) $(CFLAGS) -c $< -o $@

$(LESSON_OBJ): $(LESSON_DIR)/%.o: lessons/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LESSON_INC) -MMD -MP -c $< -o $@

$(FRAME_SRC:lessons/%.c=$(LESSON_DIR)/frame/%.o): $(LESSON_DIR)/frame/%.o: lessons/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LESSON_INC) -MMD -MP -c $< -o $@

$(FRAME_LIB): $(FRAME_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(LESSON_BIN): $(LESSON_DIR)/$(USE)/%: $(LESSON_DIR)/%.o $(LESSON_DIR)/src/%.o $(FRAME_LIB) $(COURSE_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

-include $(LESSON_OBJ:.o=.d) $(FRAME_OBJ:.o=.d)

# `make lesson N=6` (or N=06): build and run one lesson with ARGS.
LESSON_N   := $(if $(filter 1 2 3 4 5 6 7 8 9,$(N)),0$(N),$(N))
LESSON_ONE := $(filter $(LESSON_DIR)/$(USE)/$(LESSON_N)_%,$(LESSON_BIN))

.PHONY: lessons run-lesson run-tour run-lesson-tests
lessons: $(LESSON_BIN)

lesson: deps
	@$(MAKE) --no-print-directory run-lesson

run-lesson: $(LESSON_ONE)
	@if [ -z "$(LESSON_ONE)" ]; then \
	    echo "make lesson: no lesson N=$(N); the lessons are: $(LESSON_NAMES)" >&2; exit 2; fi
	@$(LESSON_ONE) $(ARGS)

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

# ---------------------------------------------------------------- command-line checks
# Part of make test: every lesson's promises on bad input (tools/cli_tests.sh):
# a bad flag or value, or a bad --data folder, gives one line on stderr and
# exit status 2, with no --out folder left half-written. After the smoke tests,
# so the two reports do not interleave under -j.
.PHONY: run-cli-tests
run-tests: run-cli-tests
run-cli-tests: $(LESSON_BIN) | run-lesson-tests
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

# ---------------------------------------------------------------- fuzzing (issue 3)
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
FUZZ_CKPT_SRC := lib/checkpoint.c lib/model.c lib/layers.c lib/init.c lib/rng.c lib/optim.c \
                 lib/ops.c lib/ops_fast.c lib/ops_pool.c lib/common.c

$(FUZZ_IDX): tests/fuzz/fuzz_idx.c lib/idx.c lib/common.c lib/data.h lib/common.h
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined tests/fuzz/fuzz_idx.c lib/idx.c lib/common.c \
	  -lz -o $@

$(FUZZ_CKPT): tests/fuzz/fuzz_checkpoint.c $(FUZZ_CKPT_SRC) $(wildcard lib/*.h)
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined tests/fuzz/fuzz_checkpoint.c $(FUZZ_CKPT_SRC) \
	  -lz -lm -lpthread -o $@

$(FUZZ_DIR)/write_checkpoint_seeds: tests/fuzz/fuzz_checkpoint.c $(FUZZ_CKPT_SRC) $(wildcard lib/*.h)
	@mkdir -p $(FUZZ_DIR)
	$(FUZZ_CC) -fsanitize=address,undefined -DFUZZ_CHECKPOINT_WRITE_SEEDS \
	  tests/fuzz/fuzz_checkpoint.c $(FUZZ_CKPT_SRC) -lz -lm -lpthread -o $@

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

# ---------------------------------------------------------------- benchmark (issue 6)
# `make bench`: the MLP GAN step (bench/mlp_gan.c) at 1 and 2 threads with the
# machine's GEMM peak, the reference loops for comparison, and lesson 06's
# default run (wall time, peak RSS). `make bench-compare` adds PyTorch
# (../shared/reference/torch_ref.py) and the ratio. Always an optimised build
# without sanitizers: timings under ASan mean nothing.
BENCH_DIR     := $(BUILD)/bench
BENCH_BIN     := $(BENCH_DIR)/mlp_gan $(BENCH_DIR)/runstat
BENCH_LESSON  := $(filter $(LESSON_DIR)/solutions/06_%,$(LESSON_NAMES:%=$(LESSON_DIR)/solutions/%))

$(BENCH_DIR)/mlp_gan: bench/mlp_gan.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Ilib $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BENCH_DIR)/runstat: bench/runstat.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $< -o $@

.PHONY: run-bench
ifeq ($(SANITIZE),1)
bench bench-compare:
	@$(MAKE) --no-print-directory SANITIZE=0 BUILD=build/default $@
else
bench: $(BENCH_BIN)
	@$(MAKE) --no-print-directory run-bench

bench-compare: $(BENCH_BIN)
	@[ -f ../shared/reference/torch_ref.py ] && tools/deps.sh python3-torch; true
	@$(MAKE) --no-print-directory run-bench BENCH_MODE=compare
endif

# The lesson is built here, not as a prerequisite, so a lesson that does not
# build yet is reported and skipped instead of stopping the benchmark.
run-bench: $(BENCH_BIN)
	@L='$(BENCH_LESSON)'; \
	if [ -n "$$L" ] && ! $(MAKE) --no-print-directory USE=solutions $$L \
	    >$(BENCH_DIR)/lesson06_build.log 2>&1; then L=build-failed; fi; \
	bench/run.sh $(BENCH_DIR) "$$L" $(BENCH_MODE)

clean:
	rm -rf build
