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

CFLAGS  = -std=c11 -Wall -Wextra -Wshadow -O2 -g -D_POSIX_C_SOURCE=200809L
CFLAGS += $(shell pkg-config --cflags libpng zlib cmocka 2>/dev/null)
LDLIBS  = $(shell pkg-config --libs libpng zlib 2>/dev/null) -lm -lpthread
CMOCKA  = $(shell pkg-config --libs cmocka 2>/dev/null)
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

clean:
	rm -rf build
