# Quick start (as root on Debian 12):
#   make run    install what is missing, build, load demo data, serve on :8080
#   make test   install what is missing, build, run every test suite
PORT     ?= 8080
DATA_DIR ?= var
BUILD    ?= build
BUILD_TYPE ?= Release
DEMO_PASSWORD ?= Dazhu@2026

.PHONY: run test build web bootstrap bench clean format

bootstrap:
	@scripts/bootstrap.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: bootstrap $(BUILD)/build.ninja
	ninja -C $(BUILD) hrss

web: bootstrap
	cd web && npm run build --silent

run: build web
	$(BUILD)/hrss demo --data-dir $(DATA_DIR) --demo-password '$(DEMO_PASSWORD)'
	@scripts/demo-media.sh $(DATA_DIR)/media || echo "no demo video streams (ffmpeg missing?)"
	exec $(BUILD)/hrss serve --port $(PORT) --data-dir $(DATA_DIR)

test:
	@scripts/test.sh

bench: build
	bench/http/run.sh

format:
	clang-format -i $$(git ls-files 'src/*.cc' 'src/*.h')

clean:
	rm -rf $(BUILD) web/dist
