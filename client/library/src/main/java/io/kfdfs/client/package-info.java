package io.kfdfs.client;
