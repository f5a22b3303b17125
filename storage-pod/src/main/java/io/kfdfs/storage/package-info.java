package io.kfdfs.storage;
