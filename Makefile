# Top-level build. `make` builds everything into build/; `make test` runs every suite and ends
# with one line "N passed, N failed"; `make demo` is the main job (see README.md).
BUILD   ?= build
BIN     := $(abspath $(BUILD))/bin
NATIVE  := $(BUILD)/native
CONFIG  ?= Release
DOTNET  ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

.PHONY: all native managed test demo bench fuzz clean

all: native managed

native:
	@mkdir -p $(BIN)
	cmake -S bootloader-native -B $(NATIVE) -DOTA_BIN_DIR=$(BIN) -DCMAKE_BUILD_TYPE=RelWithDebInfo > $(BUILD)/cmake-configure.log || (cat $(BUILD)/cmake-configure.log; exit 1)
	cmake --build $(NATIVE) -j2

managed:
	@mkdir -p $(BIN)
	$(DOTNET) build Firmware.sln -c $(CONFIG) -nologo -clp:ErrorsOnly -v:q
	@printf '#!/bin/sh\nhere=$$(cd "$$(dirname "$$0")" && pwd)\nexec dotnet "$$here/../dotnet/bin/ota/$(CONFIG)/net10.0/ota.dll" "$$@"\n' > $(BIN)/ota
	@chmod +x $(BIN)/ota

test: all
	@bash tools/scripts/run-tests.sh $(BUILD) $(CONFIG)

demo: all
	@bash tools/scripts/demo.sh $(BUILD)

bench: all
	@bash tools/scripts/bench.sh $(BUILD)

fuzz: 
	@bash tools/scripts/fuzz.sh $(BUILD) $${FUZZ_SECONDS:-60}

clean:
	rm -rf $(BUILD)
